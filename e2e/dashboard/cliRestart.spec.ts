/**
 * The dashboard's backend keeps its sessions across a CLI restart: the CLI process is killed, the
 * client starts a new one on the same state directory and resumes the session there, so the same
 * session object streams its next turn instead of being marked dead.
 */
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { startBackend } from '../../apps/dashboard/src/backend/startBackend';

jest.setTimeout(120_000);

it('a killed CLI is restarted and the session streams on', async () => {
  const backend = await startBackend({ live: false });
  try {
    const session = await backend.client.createSession(backend.sessionConfig({}));
    await lastValueFrom(session.send('First. [[chunks 2]]').pipe(toArray()));
    const firstPid = backend.client.pid;
    const reconnecting = firstValueFrom(backend.client.state$.pipe(filter((state) => state.status === 'reconnecting')));
    process.kill(firstPid!, 'SIGKILL');
    await reconnecting;
    await firstValueFrom(backend.client.state$.pipe(filter((state) => state.status === 'connected')));
    expect(backend.client.pid).not.toBe(firstPid);
    const next = await lastValueFrom(session.send('After the restart. [[chunks 3]]').pipe(toArray()));
    expect(next.filter((event) => event.type === 'assistant.message_delta')).toHaveLength(3);
    expect(next.at(-1)?.type).toBe('session.idle');
  } finally {
    await backend.stop();
  }
});
