/**
 * The reconnects of one client: after a lost link, opens new ones under the policy of reconnect.ts
 * (`state$` shows `reconnecting` with the attempt and why the last one ended) until one is connected,
 * or ends the client with a ConnectionClosedError that names the attempts. `stop()` ends the wait
 * between attempts at once, and an attempt under way through `stopSignal` (see linkLifecycle.ts).
 */
import type { Subject } from 'rxjs';
import { ConnectionClosedError } from '../errors.js';
import type { Transport } from '../transport/types.js';
import { ReconnectExhausted, retryWithBackoff, type ReconnectConfig } from './reconnect.js';
import type { ConnectionState } from './state.js';

/** The link a reconnect reopens. */
export interface ReopenableLink {
  /** Opens a link on `transport` and re-attaches every session on it; rejects when the attempt failed. */
  reopen(transport: Transport): Promise<void>;
  /** Every attempt failed: the link is gone for good and every stream fails with `error`. */
  close(error: ConnectionClosedError): void;
}

export class Reconnector {
  /** Aborted by stop(): a reconnect waiting between attempts gives up at once. */
  readonly #stop = new AbortController();
  #running: Promise<void> | undefined;

  constructor(
    private readonly config: ReconnectConfig,
    private readonly state: Subject<ConnectionState>,
    private readonly link: ReopenableLink,
  ) {}

  /** Aborts when the client stops: the link an attempt is opening is to be ended at once. */
  get stopSignal(): AbortSignal {
    return this.#stop.signal;
  }

  /** Starts reconnecting after `lost`, each attempt on a new transport from `reopen`. */
  begin(lost: ConnectionClosedError, reopen: () => Transport): void {
    const run: Promise<void> = this.#run(lost, reopen).finally(() => {
      if (this.#running === run) this.#running = undefined;
    });
    this.#running = run;
  }

  /**
   * No more attempts. Returns the reconnect under way, if one is, to wait for: it settles once its
   * attempt's link has been ended. Not async, so a client with nothing to wait for stops without a tick.
   */
  stop(): Promise<void> | undefined {
    this.#stop.abort();
    return this.#running;
  }

  async #run(lost: ConnectionClosedError, reopen: () => Transport): Promise<void> {
    try {
      await retryWithBackoff(
        this.config,
        lost,
        async (attempt, lastError) => {
          this.state.next({ status: 'reconnecting', attempt, error: lastError });
          await this.link.reopen(reopen());
        },
        this.#stop.signal,
      );
    } catch (failure) {
      // Ended by stop(), which reports the client's end itself.
      if (this.#stop.signal.aborted) return;
      const { attempts, lastError } = failure instanceof ReconnectExhausted ? failure : new ReconnectExhausted(0, failure);
      this.link.close(
        new ConnectionClosedError(
          `${lost.reason}, and ${attempts} reconnect attempt${attempts === 1 ? '' : 's'} failed (last: ${describeError(lastError)})`,
          lost.exitCode,
          lost.signal,
          lost.stderrTail,
        ),
      );
    }
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
