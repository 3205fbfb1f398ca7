import { asyncScheduler, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { FirstTokenTimeoutError } from './errors.js';
import { type EventLike, isEvent } from './events.js';
import { createOperatorSubscriber, operate } from './internal/operate.js';

export interface FirstTokenTimeoutConfig {
  /** Error when a turn's first output has not arrived this many ms after its `assistant.turn_start`. Required. */
  readonly timeoutMs: number;
  /** Schedules the clock. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** The model's first output of a turn: streamed text, reasoning or tool arguments, or a whole message (streaming off). */
const outputTypes = new Set(['assistant.message_delta', 'assistant.reasoning_delta', 'assistant.tool_call_delta', 'assistant.message']);
/** Events after which no output is owed any more: the turn ended, was aborted or failed, or the session is idle. */
const stopTypes = new Set(['assistant.turn_end', 'abort', 'session.error', 'session.idle', 'session.shutdown']);

/**
 * Errors with a `FirstTokenTimeoutError` when a turn starts and the model's first output does not
 * follow within `timeoutMs`.
 *
 * Passes every event through. Each main-agent `assistant.turn_start` (one model call) starts a
 * clock; the turn's first delta (message, reasoning or tool arguments) or whole `assistant.message`
 * stops it.
 *
 * ```
 * source:  -t-d------t---------     t = assistant.turn_start, d = message delta
 * firstTokenTimeout({ timeoutMs: 4 })
 *          -|-!      |---!          the clock of each turn
 * result:  -t-d------t---#          # = FirstTokenTimeoutError
 * ```
 *
 * The clock also stops at `assistant.turn_end`, `abort`, `session.error`, `session.idle` and
 * `session.shutdown`: no output is owed after those. A failed attempt that the CLI retries does not
 * restart the clock: the user is still waiting for the first token. Sub-agents' turns are not timed
 * (their events carry `agentId`). Between turns (for example while tools run) there is no clock;
 * see `detectIdle` for stalls there.
 *
 * On error the source is unsubscribed. Completes when the source completes and errors when it
 * errors; the clock is cancelled on complete, error and unsubscribe.
 *
 * ## Example
 * ```ts
 * session
 *   .send({ prompt })
 *   .pipe(firstTokenTimeout({ timeoutMs: 10_000 }))
 *   .subscribe({ error: (err) => err instanceof FirstTokenTimeoutError && session.abort() });
 * ```
 *
 * @see detectIdle
 * @see streamMetrics
 * @param config The limit and the scheduler; default scheduler: `asyncScheduler`.
 * @return A function that returns an Observable of the same events that errors when the first output is late.
 */
export function firstTokenTimeout<E extends EventLike>(config: FirstTokenTimeoutConfig): MonoTypeOperatorFunction<E> {
  const { timeoutMs, scheduler = asyncScheduler } = config ?? ({} as Partial<FirstTokenTimeoutConfig>);
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs === Infinity) {
    throw new RangeError(`firstTokenTimeout timeoutMs must be a positive, finite number of ms. Got ${String(timeoutMs)}`);
  }

  return operate<E, E>((source, subscriber) => {
    let clock: Subscription | undefined;
    const stop = (): void => {
      clock?.unsubscribe();
      clock = undefined;
    };

    source.subscribe(
      createOperatorSubscriber(subscriber, {
        next: (event) => {
          if (event.agentId === undefined) {
            if (isEvent(event, 'assistant.turn_start')) {
              stop();
              const turnId = (event.data as { readonly turnId?: unknown } | undefined)?.turnId;
              // Started before the emission: a consumer that leaves on this event runs the teardown,
              // which must find the clock to cancel it.
              clock = scheduler.schedule(
                () => subscriber.error(new FirstTokenTimeoutError(timeoutMs, typeof turnId === 'string' ? turnId : undefined)),
                timeoutMs,
              );
            } else if (outputTypes.has(event.type) || stopTypes.has(event.type)) {
              stop();
            }
          }
          subscriber.next(event);
        },
      }),
    );

    return stop;
  });
}
