/**
 * The client's reconnect policy: how many times to reopen a lost link and how long to wait before
 * each attempt. A transport opens once; the client decides to open again (a new transport from the
 * same recipe), redoes the handshake and re-attaches its sessions (see durableSessions.ts).
 */

/** `reconnect` of CopilotRxClientOptions. Opt-in: without it a lost link ends every stream. */
export interface ReconnectConfig {
  /** Attempts before the client gives up and fails every stream with ConnectionClosedError. Default: 5. */
  readonly maxAttempts?: number;
  /**
   * The wait before attempt `attempt` (1-based), in ms, or a function of the attempt and the last
   * error (as RxJS `retry({ delay })`). Default: exponential backoff from 200 ms, doubling, capped at
   * 5 000 ms, with full jitter over its upper half.
   */
  readonly delayMs?: number | ((attempt: number, error: unknown) => number);
  /**
   * When the client spawned the CLI and the CLI process died: spawn a new one with the same options
   * (the same state directory, so it finds its sessions on disk) and resume the sessions there.
   * Default: false (a dead CLI ends the client, as without `reconnect`).
   */
  readonly restartCli?: boolean;
}

export const DEFAULT_RECONNECT_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 200;
const BACKOFF_CAP_MS = 5_000;

/** @throws RangeError naming the field, for a count or delay that is not usable. */
export function validateReconnect(config: ReconnectConfig): void {
  const { maxAttempts = DEFAULT_RECONNECT_ATTEMPTS, delayMs } = config;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`reconnect.maxAttempts must be a positive integer. Got ${String(maxAttempts)}`);
  }
  if (typeof delayMs === 'number' && !(delayMs >= 0 && Number.isFinite(delayMs))) {
    throw new RangeError(`reconnect.delayMs must be a finite number of milliseconds ≥ 0, or a function. Got ${String(delayMs)}`);
  }
}

/**
 * `reconnect` needs a link that can be opened again: a transport factory, or a CLI the client spawns
 * and may restart. Anything else would never reconnect, silently.
 * @throws TypeError naming the options, for `reconnect` with neither.
 */
export function validateReopenable(config: ReconnectConfig, transport: unknown): void {
  if (typeof transport === 'function') return;
  if (config.restartCli === true && (transport === undefined || typeof transport === 'string')) return;
  throw new TypeError(
    'reconnect needs a link that can be opened again: pass transport as a function making a new transport ' +
      "(e.g. () => tcpTransport({ port })), or let the client spawn the CLI (transport 'stdio' or 'tcp') with reconnect.restartCli: true",
  );
}

/** The wait before `attempt`; a function's bad answer (negative, NaN, a throw) falls back to the default backoff. */
export function reconnectDelay(config: ReconnectConfig, attempt: number, error: unknown, random: () => number = Math.random): number {
  const { delayMs } = config;
  if (typeof delayMs === 'number') return delayMs;
  if (typeof delayMs === 'function') {
    try {
      const chosen = delayMs(attempt, error);
      if (chosen >= 0 && Number.isFinite(chosen)) return chosen;
    } catch {
      // A throwing delay function must not end the reconnect: it gets the default wait.
    }
  }
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * Runs `attempt` until it succeeds or `maxAttempts` failed, waiting `reconnectDelay` before each one.
 * `signal` (the client stopping) ends the wait at once. Resolves with the attempt's result; rejects
 * with the last attempt's error and the number of attempts made.
 */
export async function retryWithBackoff<T>(
  config: ReconnectConfig,
  firstError: unknown,
  attempt: (n: number, lastError: unknown) => Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  const maxAttempts = config.maxAttempts ?? DEFAULT_RECONNECT_ATTEMPTS;
  let lastError = firstError;
  for (let n = 1; n <= maxAttempts; n++) {
    await sleep(reconnectDelay(config, n, lastError), signal);
    if (signal.aborted) break;
    try {
      return await attempt(n, lastError);
    } catch (error) {
      lastError = error;
    }
  }
  throw new ReconnectExhausted(maxAttempts, lastError);
}

/** Internal: every attempt failed (or the client stopped); the client turns it into ConnectionClosedError. */
export class ReconnectExhausted {
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {}
}

/** A wait that never keeps the process alive and ends early when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done);
  });
}
