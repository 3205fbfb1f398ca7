/**
 * The fault suite against the real Copilot CLI (offline, streaming from the scripted model endpoint),
 * for the faults it can be made to show: its host process dies, its model goes silent mid-turn, and
 * the app's handlers answer garbage or never answer. The same faults with a scripted stand-in process,
 * and the rest (hangs on connect or send, closed stdout, error answers), are in
 * packages/core/src/faults.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as t from 'io-ts';
import { lastValueFrom, toArray } from 'rxjs';
import {
  HandlerTimeoutError,
  InvalidHandlerAnswerError,
  TurnSilenceError,
  defineTool,
  type AnswerFailure,
  type SessionEvent,
} from '@copilot-rx/core';
import { createCliSandbox } from '@copilot-rx/testing';
import { startBackend, type Backend } from '../support/backends';

jest.setTimeout(90_000);

const HOST = path.resolve(__dirname, '..', '..', 'packages', 'core', 'src', 'testSupport', 'hostProcess.js');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe.each(['stdio', 'tcp'] as const)('the real CLI over %s, when its host process gets SIGTERM', (kind) => {
  it('is gone within the shutdown grace, not left running', async () => {
    const sandbox = await createCliSandbox();
    const spec = { kind, cliPath: sandbox.cliPath, env: sandbox.env, cwd: sandbox.cwd, shutdownGraceMs: 1_000 };
    const host = spawn(process.execPath, [HOST, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let cliPid: number | undefined;
    try {
      const ready = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        host.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out);
        });
        host.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        host.once('exit', (code) => reject(new Error(`host exited (${code}) before it was ready: ${err}`)));
      });
      cliPid = Number(/READY (\d+)/.exec(ready)?.[1]);
      expect(isRunning(cliPid)).toBe(true);
      const exited = new Promise((resolve) => host.once('exit', resolve));
      host.kill('SIGTERM');
      await exited;
      // stdio: the CLI exits on stdin EOF (about 60 ms); tcp: only the watchdog ends it (SIGTERM).
      expect(await goneWithin(cliPid, 5_000)).toBe(true);
    } finally {
      if (cliPid !== undefined && isRunning(cliPid)) process.kill(cliPid, 'SIGKILL');
      host.kill('SIGKILL');
      await sandbox.dispose();
    }
  });
});

describe('the real CLI with faulty handlers and a silent model', () => {
  let cli: Backend;
  const failures: AnswerFailure[] = [];
  beforeAll(async () => {
    cli = await startBackend('real-stdio');
    cli.client.answerFailures$.subscribe((failure) => failures.push(failure));
  });
  afterAll(async () => {
    await cli?.dispose();
  });
  beforeEach(() => failures.splice(0));

  const completion = (events: readonly SessionEvent[]) => events.find((e) => e.type === 'tool.execution_complete');

  it('a turn whose model goes silent fails with TurnSilenceError after silenceTimeoutMs', async () => {
    const session = await cli.client.createSession(cli.sessionConfig());
    const started = Date.now();
    const error = await lastValueFrom(session.send({ prompt: 'Forever [[hang]]', silenceTimeoutMs: 1_500 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TurnSilenceError);
    expect((error as TurnSilenceError).eventsSeen).toBeGreaterThan(0);
    // A liveness bound, with room for a loaded machine: the silence clock, not some later timeout.
    expect(Date.now() - started).toBeLessThan(1_500 + 5_000);
    await session.destroy();
  });

  it('a permission handler that answers garbage: the tool is denied, the turn ends, the failure is reported', async () => {
    const calls: string[] = [];
    const tool = defineTool({
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      args: t.type({ city: t.string }),
      handler: ({ city }) => void calls.push(city),
    });
    const session = await cli.client.createSession(
      cli.sessionConfig({ tools: [tool], onPermissionRequest: () => ({ kind: 'bogus' }) as never }),
    );
    const events = await lastValueFrom(session.send('Weather? [[tool get_weather {"city":"Oslo"}]]').pipe(toArray()));
    expect(calls).toEqual([]);
    expect(events.at(-1)?.type).toBe('session.idle');
    expect(failures).toEqual([
      expect.objectContaining({ reason: 'invalid-answer', error: expect.any(InvalidHandlerAnswerError) }),
    ]);
    await session.destroy();
  });

  it('a tool handler that never answers: a failed result naming the timeout at the deadline, and the turn ends', async () => {
    let signal: AbortSignal | undefined;
    const tool = defineTool({
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      handler: (_args, invocation) => {
        signal = invocation.signal;
        return new Promise<string>(() => undefined);
      },
    });
    const session = await cli.client.createSession(
      cli.sessionConfig({ tools: [tool], onPermissionRequest: () => ({ kind: 'approve-once' }), handlerTimeouts: { tool: 500 } }),
    );
    const events = await lastValueFrom(session.send('Weather? [[tool get_weather {"city":"Rome"}]]').pipe(toArray()));
    const complete = completion(events);
    expect(complete?.type === 'tool.execution_complete' && complete.data.success).toBe(false);
    expect(events.at(-1)?.type).toBe('session.idle');
    expect(signal?.reason).toBeInstanceOf(HandlerTimeoutError);
    expect(failures).toEqual([expect.objectContaining({ reason: 'handler-timeout', method: 'session.tools.handlePendingToolCall' })]);
    await session.destroy();
  });
});
