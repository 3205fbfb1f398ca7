/**
 * `reconnect: { restartCli: true }`: the CLI the client spawned dies mid-turn; the client spawns a
 * new one on the same state directory, resumes the session there, fails the lost turn with
 * TurnInterruptedError (no event says the work is gone, so the client asks the new CLI), and the
 * next turn streams.
 */
import { filter, firstValueFrom, lastValueFrom, tap, timeout, toArray } from 'rxjs';
import { CopilotRxClient, TurnInterruptedError } from '@copilot-rx/core';
import { createCliSandbox, startScriptedModelEndpoint, type CliSandbox, type ScriptedModelEndpoint } from '@copilot-rx/testing';

jest.setTimeout(120_000);

let endpoint: ScriptedModelEndpoint;
let sandbox: CliSandbox;
beforeAll(async () => {
  endpoint = await startScriptedModelEndpoint();
  sandbox = await createCliSandbox({});
});
afterAll(async () => {
  await endpoint?.close();
  await sandbox?.dispose();
});

it('the spawned CLI is killed mid-turn: a new one is started, the turn fails with TurnInterruptedError, the next turn streams', async () => {
  const client = new CopilotRxClient({
    cliPath: sandbox.cliPath,
    cwd: sandbox.cwd,
    env: sandbox.env,
    logLevel: 'error',
    transport: 'tcp',
    reconnect: { restartCli: true, maxAttempts: 3, delayMs: 50 },
  });
  try {
    await client.start();
    const firstPid = client.pid;
    const session = await client.createSession({
      streaming: true,
      model: 'claude-sonnet-4.5',
      provider: endpoint.byokProvider(),
      systemMessage: { mode: 'replace', content: 'You are a test assistant.' },
      availableTools: [],
    });
    // Persisted with its first message: a session the CLI never wrote down cannot be resumed.
    await lastValueFrom(session.send('First. [[chunks 2]]').pipe(toArray()));
    let deltas = 0;
    const failure = await lastValueFrom(
      session.send('Long. [[chunks 2000]] [[pace 2]]').pipe(
        tap((event) => {
          if (event.type === 'assistant.message_delta' && ++deltas === 50) process.kill(firstPid!, 'SIGKILL');
        }),
        timeout(60_000),
      ),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TurnInterruptedError);
    await firstValueFrom(client.state$.pipe(filter((state) => state.status === 'connected')));
    expect(client.pid).not.toBe(firstPid);
    const next = await lastValueFrom(session.send('Again. [[chunks 3]]').pipe(toArray()));
    expect(next.filter((event) => event.type === 'assistant.message_delta')).toHaveLength(3);
  } finally {
    await client.stop();
  }
});
