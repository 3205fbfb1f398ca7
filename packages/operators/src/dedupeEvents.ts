import { defer, filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { EventLike } from './events.js';

export interface DedupeEventsConfig {
  /**
   * How many of the most recent ids to remember. Default `65536`: the CLI's re-sends under load reached
   * back about 40,000 distinct ids (real-cli.md §5.1), so the window must cover a whole turn.
   */
  readonly window?: number;
}

/**
 * Drops events already seen, by `id`.
 *
 * Remembers the ids of the last `window` events and passes an event on only the first time its id
 * is seen; events without an id always pass.
 *
 * ```
 * source:  -a-b-a-c-b-|      letters are event ids
 * dedupeEvents()
 * result:  -a-b---c---|
 * ```
 *
 * Under a flood the CLI re-sends `session.event`s it already delivered, with the same id
 * (real-cli.md §5.1), and a catch-up read (`session.eventLog.read`) can overlap live events. Core's
 * client already de-duplicates its session streams; use this on other sources (replayed transcripts,
 * merged catch-up and live streams). Memory and time are O(1) per event: an insertion-ordered set
 * forgets the oldest id once it holds `window` ids. After de-duplication, deltas may still be out of
 * order; `accumulateText` flags that with `drift`.
 *
 * Completes when the source completes and errors when it errors; unsubscribing forgets the ids.
 *
 * ## Example
 * ```ts
 * merge(catchUp$, live$).pipe(dedupeEvents()).subscribe(render);
 * ```
 *
 * @see distinct
 * @see chainGaps
 * @param config The window; default 65,536 ids.
 * @return A function that returns an Observable of the events, each id once.
 */
export function dedupeEvents<E extends EventLike>(config: DedupeEventsConfig = {}): MonoTypeOperatorFunction<E> {
  const { window = 65_536 } = config;
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`dedupeEvents window must be a positive integer. Got ${window}`);

  return (source) =>
    defer(() => {
      // Per subscription. A Set iterates in insertion order, so its first id is the oldest.
      const seen = new Set<string>();
      return source.pipe(
        filter((event) => {
          const { id } = event;
          if (typeof id !== 'string') return true;
          if (seen.has(id)) return false;
          seen.add(id);
          if (seen.size > window) seen.delete(seen.values().next().value as string);
          return true;
        }),
      );
    });
}
