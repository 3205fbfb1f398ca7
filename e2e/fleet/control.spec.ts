/**
 * Remote control through the broker: a host process serves create/send/abort/answer-permission/destroy
 * for a consumer elsewhere, and refuses bad requests with typed errors.
 */
import { firstValueFrom, lastValueFrom, filter, toArray, take } from 'rxjs';
import { FleetControlError, type RemoteSession } from '@copilot-rx/fleet';
import type { SessionEvent } from '@copilot-rx/core';
import { natsServerTool } from './natsServer';
import { startFleet, waitFor, type FleetFixture } from './fleetFixture';

jest.setTimeout(240_000);

natsServerTool.describe('remote control of a host', () => {
  let f: FleetFixture;
  let session: RemoteSession;

  beforeAll(async () => {
    f = await startFleet(['ctl']);
    session = await f.fleet.createSession('ctl');
  });
  afterAll(() => f?.dispose());

  it('sends a prompt and gives the turn as a cold Observable ending at session.idle', async () => {
    const turn = session.send('Remote hello [[chunks 3]]');
    const events = await lastValueFrom(turn.pipe(toArray()));
    const text = events.flatMap((e) => (e.type === 'assistant.message_delta' ? [e.data.deltaContent] : [])).join('');
    expect(text).toBe('Remote-1 hello-2 Remote-3');
    expect(events[0]!.type).toBe('user.message');
    expect(events.at(-1)!.type).toBe('session.idle');
  });

  it('aborts the turn on the host when the subscriber leaves early', async () => {
    const idle = firstValueFrom(session.events$.pipe(filter((e): e is Extract<SessionEvent, { type: 'session.idle' }> => e.type === 'session.idle')));
    // [[hang]]: one delta, then nothing until the message is aborted.
    const first = await firstValueFrom(session.send('Wait forever [[hang]]').pipe(filter((e) => e.type === 'assistant.message_delta'), take(1)));
    expect(first.type).toBe('assistant.message_delta');
    expect((await idle).data.aborted).toBe(true);
  });

  it('refuses bad requests with typed errors naming what was wrong', async () => {
    const unknown = f.fleet.session('ctl', 'no-such-session');
    await expect(unknown.abort()).rejects.toMatchObject({ reason: 'UNKNOWN_SESSION' });
    const bad = await f.fleet.session('ctl', session.id).answerPermission('r', { kind: 'maybe' } as never).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(FleetControlError);
    expect(bad).toMatchObject({ reason: 'BAD_REQUEST' });
    expect((bad as Error).message).toMatch(/decision/);
    await expect(f.fleet.session('nobody', 's').abort()).rejects.toMatchObject({ reason: 'NO_RESPONDERS' });
  });

  it('destroys the session remotely and shows it destroyed', async () => {
    const doomed = await f.fleet.createSession('ctl');
    await doomed.destroy();
    await waitFor(f.fleet.sessions$, (all) => all.some((s) => s.sessionId === doomed.id && s.state === 'destroyed'), 'the destroyed session');
    await expect(doomed.send('hi').pipe(toArray()).toPromise()).rejects.toMatchObject({ reason: 'UNKNOWN_SESSION' });
  });
});
