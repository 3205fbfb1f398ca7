import { type MonoTypeOperatorFunction, takeWhile } from 'rxjs';
import type { EventLike } from './events.js';

/**
 * Completes a session stream at `session.idle`, the CLI's "nothing left in flight" signal.
 *
 * Passes events through up to and including the first `session.idle`, then completes and
 * unsubscribes from the source.
 *
 * ```
 * source:  -a-b-i-c-|      i = session.idle
 * untilIdle()
 * result:  -a-b-(i|)
 * ```
 *
 * Errors when the source errors and completes when it completes (before any idle). The idle event
 * itself is emitted so that `data.aborted` can be read. `session.idle` is per session, not per send:
 * one idle may cover several queued sends, and an aborted turn's idle can arrive after the next send
 * went out (protocol.md §5.4), so subscribe before sending and do not overlap sends.
 * `assistant.idle` is not the end: background agents may still run.
 *
 * ## Example
 * ```ts
 * const answer = await lastValueFrom(session.events$.pipe(untilIdle(), accumulateText(), last()));
 * ```
 *
 * @see detectIdle
 * @see takeWhile
 * @return A function that returns an Observable of the events up to and including `session.idle`.
 */
export function untilIdle<E extends EventLike>(): MonoTypeOperatorFunction<E> {
  return takeWhile((event: E) => event.type !== 'session.idle', true);
}
