/**
 * The fault suite, part 1: a CLI process that dies, hangs, closes its stdout or answers with errors.
 * The stand-in is a real process (fixtures/scriptedCli.js); each case asserts the typed error, the
 * time bound (with small configured timeouts) and that the process is gone afterwards.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import {
  CliStartupError,
  ConnectionClosedError,
  RequestTimeoutError,
  RpcError,
  TurnSilenceError,
} from '../errors';
import { GRACE_MS, goneWithin, runTurn, startOn, timed } from '../testSupport/faultSuite';

jest.setTimeout(20_000);

/** Room for a loaded 2-core machine on top of each configured timeout. */
const SLACK_MS = 1_500;

describe('fault: the CLI process dies mid-turn', () => {
  it('SIGKILL: the turn fails with ConnectionClosedError naming the signal, within the bound', async () => {
    const { client, pid } = await startOn('endless-turn');
    const session = await client.createSession();
    const turn = session.send('go');
    const failed = timed(() => firstValueFrom(turn.pipe(filter(() => false))));
    await firstValueFrom(session.events$.pipe(filter((e) => e.type === 'assistant.message_delta')));
    process.kill(pid, 'SIGKILL');
    const { error, ms } = await failed;
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect((error as ConnectionClosedError).signal).toBe('SIGKILL');
    expect(ms).toBeLessThan(500 + SLACK_MS);
    expect(client.state.status).toBe('closed');
    expect(await goneWithin(pid, 1_000)).toBe(true);
  });

  it('exit code 3: the turn fails with ConnectionClosedError carrying the code', async () => {
    const { client, pid } = await startOn('crash-mid-turn');
    const { error, ms } = await runTurn(client, {});
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect((error as ConnectionClosedError).exitCode).toBe(3);
    expect(ms).toBeLessThan(500 + SLACK_MS);
    expect(await goneWithin(pid, 1_000)).toBe(true);
  });
});

describe('fault: the CLI closes its stdout but keeps running', () => {
  it('fails the turn with ConnectionClosedError and stops the orphaned process', async () => {
    const { client, pid } = await startOn('close-stdout', { stubborn: true });
    const { error, ms } = await runTurn(client, {});
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(ms).toBeLessThan(500 + SLACK_MS);
    // Nothing can be said to a CLI whose output is gone: it is stopped (SIGKILL after the grace, as
    // it ignores SIGTERM), not left running.
    expect(await goneWithin(pid, GRACE_MS + SLACK_MS)).toBe(true);
  });
});

describe('fault: the CLI hangs', () => {
  it('no answer to connect: start() fails with CliStartupError after startupTimeoutMs (1 s, so the stand-in is surely up), and the process is gone', async () => {
    const pidFile = path.join(tmpdir(), `copilot-rx-fault-${process.pid}-${Date.now()}.pid`);
    const { error, ms } = await timed(() =>
      startOn('hang-connect', { stubborn: true, client: { startupTimeoutMs: 1_000 }, env: { PID_FILE: pidFile } }),
    );
    expect(error).toBeInstanceOf(CliStartupError);
    expect((error as Error).message).toMatch(/did not answer `connect` within 1000 ms/);
    expect(ms).toBeGreaterThanOrEqual(990);
    expect(ms).toBeLessThan(1_000 + GRACE_MS + SLACK_MS);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    rmSync(pidFile, { force: true });
    expect(pid).toBeGreaterThan(0);
    expect(await goneWithin(pid, GRACE_MS + SLACK_MS)).toBe(true);
  });

  it('no answer to session.send: the turn fails with RequestTimeoutError and the session is not left busy', async () => {
    const { client, pid } = await startOn('hang-send', { client: { requestTimeoutMs: 300 } });
    const session = await client.createSession();
    const { error, ms } = await timed(() => firstValueFrom(session.send('go')));
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ code: 'REQUEST_TIMEOUT', method: 'session.send' });
    expect((error as RequestTimeoutError).elapsedMs).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(300 + SLACK_MS);
    expect(session.busy).toBe(false);
    const stopped = await timed(() => client.stop());
    expect(stopped.ms).toBeLessThan(GRACE_MS + SLACK_MS);
    expect(await goneWithin(pid, 1_000)).toBe(true);
  });

  it('a turn that goes silent fails with TurnSilenceError after silenceTimeoutMs', async () => {
    const { client, pid } = await startOn('silent-turn');
    const { error, ms } = await runTurn(client, {}, 'go', 300);
    expect(error).toBeInstanceOf(TurnSilenceError);
    expect(error).toMatchObject({ code: 'TURN_SILENCE', silenceMs: 300, eventsSeen: 0 });
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(300 + SLACK_MS);
    await client.stop();
    expect(await goneWithin(pid, 1_000)).toBe(true);
  });

  it('stop() is bounded even when the CLI ignores the end of its stdin and SIGTERM', async () => {
    const { client, pid } = await startOn('hang-send', { stubborn: true });
    const { ms } = await timed(() => client.stop());
    expect(ms).toBeLessThan(GRACE_MS + SLACK_MS);
    expect(client.state.status).toBe('stopped');
    expect(await goneWithin(pid, 1_000)).toBe(true);
  });
});

describe('fault: the CLI answers with errors', () => {
  it('session.send answered with an error fails the turn with RpcError and leaves the session not busy', async () => {
    const { client, pid } = await startOn('error-send');
    const session = await client.createSession();
    const { error } = await timed(() => firstValueFrom(session.send('go')));
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ method: 'session.send', serverMessage: 'send exploded' });
    expect(session.busy).toBe(false);
    await client.stop();
    expect(await goneWithin(pid, 1_000)).toBe(true);
  });

  it('a failed abort, sent because the subscriber left, is reported on answerFailures$', async () => {
    const { client, pid, answerFailures } = await startOn('abort-fails');
    const session = await client.createSession();
    await firstValueFrom(session.send('go').pipe(filter((e) => e.type === 'assistant.message_delta')));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answerFailures).toEqual([
      expect.objectContaining({ sessionId: session.id, method: 'session.abort', reason: 'abort-failed', error: expect.any(RpcError) }),
    ]);
    await client.stop();
    expect(await goneWithin(pid, 1_000)).toBe(true);
  });
});
