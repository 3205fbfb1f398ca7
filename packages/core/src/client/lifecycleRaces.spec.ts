/**
 * Lifecycle races: `forceStop()` and `stop()` while `start()` is still in flight. Each spec records
 * every state the client reports and asserts them in order; a stopped client must stay stopped, and
 * whatever the start brought up (a connection, a spawned CLI) must be ended, not left running.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InvalidStateError } from '../errors';
import { GRACE_MS, SCRIPTED_CLI, timed } from '../testSupport/faultSuite';
import { stdioTransport } from '../transport';
import { fakeCliEnv, isRunning } from '../transport/fixtures/fakeCliFixture';
import { FakeCli, NO_ANSWER } from '../testSupport/fakeCli';
import { CopilotRxClient } from './CopilotRxClient';
import type { ConnectionState } from './state';

function recordStates(client: CopilotRxClient): string[] {
  const states: string[] = [];
  client.state$.subscribe((state: ConnectionState) => states.push(state.status));
  return states;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('forceStop() while start() is in flight', () => {
  it('during the spawn: ends stopped, start() rejects, and the connection it opened is killed', async () => {
    const cli = new FakeCli();
    const opening = deferred();
    const client = new CopilotRxClient({ transport: cli.transport({ pid: 4242, opening: opening.promise }) });
    const states = recordStates(client);
    const started = client.start().catch((error: unknown) => error);
    const forced = client.forceStop();
    opening.resolve();
    await forced;
    expect(await started).toBeInstanceOf(InvalidStateError);
    expect(states).toEqual(['idle', 'starting', 'stopped']);
    expect(cli.endedBy).toBe('killed');
    expect(cli.requestsOf('connect')).toHaveLength(0);
    await expect(client.createSession()).rejects.toThrow(/stopped/);
  });

  it('during the handshake: ends stopped, never connected, and the CLI is killed', async () => {
    const cli = new FakeCli();
    cli.handle('connect', () => NO_ANSWER);
    const client = new CopilotRxClient({ transport: cli.transport({ pid: 4242 }) });
    const states = recordStates(client);
    const started = client.start().catch((error: unknown) => error);
    await cli.nextRequest('connect');
    await client.forceStop();
    expect(await started).toBeInstanceOf(InvalidStateError);
    expect(states).toEqual(['idle', 'starting', 'stopped']);
    expect(cli.endedBy).toBe('killed');
    await expect(client.createSession()).rejects.toThrow(/stopped/);
  });

  it('with a spawned CLI process: the process is gone when forceStop() resolves', async () => {
    // A stand-in that never answers `connect` and ignores SIGTERM and stdin's end: only a kill ends it.
    const pidFile = path.join(tmpdir(), `copilot-rx-race-${process.pid}-${Date.now()}.pid`);
    const transport = stdioTransport({
      cliPath: SCRIPTED_CLI,
      env: fakeCliEnv({ FAULT: 'hang-connect', STUBBORN: '1', PID_FILE: pidFile }),
      shutdownGraceMs: GRACE_MS,
    });
    const client = new CopilotRxClient({ transport });
    const states = recordStates(client);
    const started = client.start().catch((error: unknown) => error);
    while (!existsSync(pidFile)) await new Promise((resolve) => setTimeout(resolve, 20));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    rmSync(pidFile, { force: true });
    await client.forceStop();
    expect(await started).toBeInstanceOf(InvalidStateError);
    expect(states).toEqual(['idle', 'starting', 'stopped']);
    expect(isRunning(pid)).toBe(false);
  });
});

describe('stop() while start() is in flight', () => {
  it('waits for the start, then shuts the runtime down and disposes the transport', async () => {
    const cli = new FakeCli();
    const connectSeen = deferred();
    const answerConnect = deferred();
    cli.handle('connect', async () => {
      connectSeen.resolve();
      await answerConnect.promise;
      return { ok: true, protocolVersion: 3, version: 'fake' };
    });
    const client = new CopilotRxClient({ transport: cli.transport({ pid: 4242 }) });
    const states = recordStates(client);
    const started = client.start();
    await connectSeen.promise;
    const stopped = client.stop();
    answerConnect.resolve();
    await started;
    await stopped;
    expect(states).toEqual(['idle', 'starting', 'connected', 'stopping', 'stopped']);
    expect(cli.requestsOf('runtime.shutdown')).toHaveLength(1);
    expect(cli.endedBy).toBe('disposed');
  });

  it('when the start fails meanwhile: ends stopped without passing through idle', async () => {
    const cli = new FakeCli();
    cli.handle('connect', () => {
      cli.exit({ reason: 'the CLI exited', exitCode: 1, signal: null });
      return NO_ANSWER;
    });
    const client = new CopilotRxClient({ transport: cli.transport() });
    const states = recordStates(client);
    const started = client.start().catch((error: unknown) => error);
    const stopped = client.stop();
    await started;
    await stopped;
    expect(states).toEqual(['idle', 'starting', 'stopped']);
  });
});

it('forceStop() during a polite stop() ends it at once', async () => {
  const cli = new FakeCli();
  cli.handle('session.destroy', () => NO_ANSWER);
  const client = new CopilotRxClient({ transport: cli.transport({ pid: 4242 }) });
  const states = recordStates(client);
  await client.start();
  await client.createSession();
  const stopped = client.stop();
  await cli.nextRequest('session.destroy');
  const { ms } = await timed(() => client.forceStop());
  await stopped;
  // Without the kill, stop() would wait its 5 s step timeout on the unanswered session.destroy.
  expect(ms).toBeLessThan(2_000);
  expect(states).toEqual(['idle', 'starting', 'connected', 'stopping', 'stopped']);
  expect(cli.endedBy).toBe('killed');
});
