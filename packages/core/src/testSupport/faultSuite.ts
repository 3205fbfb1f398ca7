/**
 * Spec helpers for the fault suite (not part of the package): a client on the scripted stand-in CLI
 * process of faults/fixtures/scriptedCli.js, with small timeouts, and the checks every fault case ends with
 * (the stand-in's pid is gone).
 */
import * as path from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import type { SessionEvent } from '../codecs/sessionEvent';
import { CopilotRxClient } from '../client/CopilotRxClient';
import type { CopilotRxClientOptions } from '../client/options';
import type { AnswerFailure } from '../session/host';
import type { SessionConfig } from '../session/config';
import { spawnTcpTransport, stdioTransport } from '../transport';
import { fakeCliEnv, isRunning } from '../transport/fixtures/fakeCliFixture';

export const SCRIPTED_CLI = path.join(__dirname, '..', 'faults', 'fixtures', 'scriptedCli.js');
/** The stand-in's grace before SIGKILL when a stop is not answered. */
export const GRACE_MS = 300;

export type Fault =
  | 'none'
  | 'hang-connect'
  | 'hang-send'
  | 'error-send'
  | 'silent-turn'
  | 'crash-mid-turn'
  | 'close-stdout'
  | 'endless-turn'
  | 'abort-fails'
  | 'ask-permission'
  | 'call-tool'
  | 'offer-auto-mode'
  | 'ask-user';

export interface FaultRig {
  readonly client: CopilotRxClient;
  readonly pid: number;
  readonly answerFailures: AnswerFailure[];
}

/** A started client on the stand-in with `fault`; `stubborn` makes it ignore SIGTERM and stdin's end. */
export async function startOn(
  fault: Fault,
  options: { stubborn?: boolean; kind?: 'stdio' | 'tcp'; client?: CopilotRxClientOptions; env?: Record<string, string> } = {},
): Promise<FaultRig> {
  const processOptions = {
    cliPath: SCRIPTED_CLI,
    env: fakeCliEnv({ FAULT: fault, STUBBORN: options.stubborn ? '1' : '0', ...options.env }),
    shutdownGraceMs: GRACE_MS,
  };
  const transport = options.kind === 'tcp' ? spawnTcpTransport(processOptions) : stdioTransport(processOptions);
  const client = new CopilotRxClient({ transport, ...options.client });
  const answerFailures: AnswerFailure[] = [];
  client.answerFailures$.subscribe((failure) => answerFailures.push(failure));
  await client.start();
  const pid = client.pid;
  if (pid === undefined) throw new Error('the stand-in was not spawned');
  return { client, pid, answerFailures };
}

/** Runs `work` and returns what it settled with and how long it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await work();
    return { value, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

/** Resolves true once `pid` is gone, false if it is still there after `ms`. */
export async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** One turn's events, or its error. */
export async function runTurn(
  client: CopilotRxClient,
  config: SessionConfig,
  prompt = 'go',
  silenceTimeoutMs?: number,
): Promise<{ events: SessionEvent[]; error?: unknown; ms: number }> {
  const session = await client.createSession(config);
  const events: SessionEvent[] = [];
  const outcome = await timed(() =>
    lastValueFrom(session.send({ prompt, ...(silenceTimeoutMs !== undefined && { silenceTimeoutMs }) }).pipe(toArray())),
  );
  events.push(...(outcome.value ?? []));
  return { events, error: outcome.error, ms: outcome.ms };
}

/** What the stand-in echoed back of the answer it received (a `session.info` of type "answer"). */
export function echoedAnswer(events: readonly SessionEvent[]): Record<string, unknown> | undefined {
  for (const event of events) {
    if (event.type === 'session.info' && event.data.infoType === 'answer') return JSON.parse(event.data.message) as Record<string, unknown>;
  }
  return undefined;
}
