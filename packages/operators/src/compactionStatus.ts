import { asyncScheduler, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { type EventLike, isEvent } from './events.js';
import { createOperatorSubscriber, operate } from './internal/operate.js';

export interface CompactionStatusConfig {
  /** A compaction without `session.compaction_complete` after this many ms is `stuck`. Default `120000` (2 minutes). */
  readonly stuckAfterMs?: number;
  /** Schedules the stuck clock and reads the time. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** The result of the last compaction that completed. */
export interface CompactionResult {
  readonly success: boolean;
  readonly error?: unknown;
  readonly preCompactionTokens?: number;
  readonly postCompactionTokens?: number;
  /** ms from its start to its completion, at the client; absent when its start came before the subscription. */
  readonly durationMs?: number;
}

export interface CompactionStatus {
  /** `idle`: no compaction running; `compacting`: one is; `stuck`: one has run for `stuckAfterMs` or more. */
  readonly state: 'idle' | 'compacting' | 'stuck';
  /** While compacting or stuck: `scheduler.now()` at its `session.compaction_start`. */
  readonly since?: number;
  /** While compacting or stuck: why it started (`threshold`, `context_limit_retry`, `manual`, ...). */
  readonly trigger?: string;
  /** The last compaction that completed, if any. */
  readonly last?: CompactionResult;
}

/**
 * The state of the session's context compaction: idle, compacting or stuck.
 *
 * Emits `idle` at subscription, `compacting` at `session.compaction_start`, `stuck` when no
 * `session.compaction_complete` has come `stuckAfterMs` later, and `idle` again (with the result
 * in `last`) at `session.compaction_complete`.
 *
 * ```
 * source:  -a--s---c----s-----------      s = compaction_start, c = compaction_complete, a = other
 * compactionStatus({ stuckAfterMs: 5 })
 *              |---!    |----!             the stuck clock of each compaction
 * result:  i---s---c----s----k------      i = idle, s = compacting, c = idle { last }, k = stuck
 * ```
 *
 * Background compaction runs alongside a turn: its start can come right after `assistant.turn_start`
 * and its completion after `assistant.turn_end` (protocol.md §7.4), so it is tracked on its own and
 * not ended by turns or idle. A `compaction_start` during a compaction restarts the clock. Without
 * `infiniteSessions` the CLI sends no compaction events: the status stays `idle`.
 *
 * Completes when the source completes and errors when it errors; the stuck clock is cancelled on
 * complete, error and unsubscribe. A `session.compaction_complete` without its data errors the result.
 *
 * ## Example
 * ```ts
 * session.events$.pipe(compactionStatus()).subscribe(({ state }) => badge.set(state === 'idle' ? '' : state));
 * ```
 *
 * @see detectIdle
 * @param config The stuck limit and the scheduler; defaults: 2 minutes, `asyncScheduler`.
 * @return A function that returns an Observable of the compaction status.
 */
export function compactionStatus(config: CompactionStatusConfig = {}): OperatorFunction<EventLike, CompactionStatus> {
  const { stuckAfterMs = 120_000, scheduler = asyncScheduler } = config;
  if (!(stuckAfterMs > 0)) throw new RangeError(`compactionStatus stuckAfterMs must be a positive number of ms. Got ${stuckAfterMs}`);

  return operate<EventLike, CompactionStatus>((source, subscriber) => {
    let status: CompactionStatus = { state: 'idle' };
    let clock: Subscription | undefined;
    const set = (next: CompactionStatus): void => {
      status = next;
      subscriber.next(status);
    };
    const stopClock = (): void => {
      clock?.unsubscribe();
      clock = undefined;
    };

    // Before the source is subscribed: a consumer that takes only this value never starts it.
    subscriber.next(status);
    source.subscribe(
      createOperatorSubscriber(subscriber, {
        next: (event) => {
          if (isEvent(event, 'session.compaction_start')) {
            stopClock();
            const since = scheduler.now();
            const trigger = (event.data as { readonly trigger?: unknown } | undefined)?.trigger;
            // The clock starts before the emission: a consumer that leaves on it runs the teardown, which
            // must find the clock to cancel it.
            if (stuckAfterMs !== Infinity) clock = scheduler.schedule(() => set({ ...status, state: 'stuck' }), stuckAfterMs);
            set({ state: 'compacting', since, ...(typeof trigger === 'string' ? { trigger } : {}), ...(status.last === undefined ? {} : { last: status.last }) });
          } else if (isEvent(event, 'session.compaction_complete')) {
            stopClock();
            const { success, error, preCompactionTokens, postCompactionTokens } = event.data;
            const last: CompactionResult = {
              success,
              ...(error === undefined ? {} : { error }),
              ...(preCompactionTokens === undefined ? {} : { preCompactionTokens }),
              ...(postCompactionTokens === undefined ? {} : { postCompactionTokens }),
              ...(status.since === undefined ? {} : { durationMs: scheduler.now() - status.since }),
            };
            set({ state: 'idle', last });
          }
        },
      }),
    );

    return stopClock;
  });
}
