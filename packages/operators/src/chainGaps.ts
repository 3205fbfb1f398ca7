import { defer, filter, map, type OperatorFunction } from 'rxjs';
import type { EventLike } from './events.js';

/** A persisted event whose `parentId` is not the persisted event received just before it. */
export interface ChainGap {
  readonly eventId: string;
  readonly type: string;
  readonly parentId: string;
  /** The id of the last persisted event received before it: what `parentId` would be without a break. */
  readonly expectedParentId: string;
  /**
   * Whether the parent had been received. `false`: the parent is missing (lost, not delivered, or not
   * yet arrived). `true`: the events came out of order, or history forked (a rewind).
   */
  readonly parentSeen: boolean;
}

/** How many persisted ids to remember for `parentSeen` and for skipping repeats. */
const REMEMBERED_IDS = 65_536;

/**
 * Reports breaks in the `parentId` chain of persisted events.
 *
 * Each persisted event (not `ephemeral: true`) names the previous persisted event as its
 * `parentId`; emits a `ChainGap` for every persisted event whose `parentId` is not the id of the
 * persisted event received just before it. Events are not passed on.
 *
 * ```
 * source:  -a-b-c-e-|      a(parent null), b(parent a), c(parent b), e(parent d): d never arrived
 * chainGaps()
 * result:  -------g-|      g = { eventId: 'e', parentId: 'd', expectedParentId: 'c', parentSeen: false }
 * ```
 *
 * A persisted event with no `parentId` (`session.start`) starts the chain, and so does the first
 * persisted event received (the chain before the subscription is unknown). Ephemeral events never
 * become parents (protocol.md §0 fact 10) and are skipped, as are repeats of an id already seen (the
 * CLI re-sends under load; see `dedupeEvents`). A gap means the client's persisted history differs
 * from the CLI's: an event was not delivered, arrived out of order, or was lost. (In the recorded
 * CLI 1.0.102 traffic every `assistant.message` names a parent that was never sent, so one gap per
 * model call is normal there.) Rebuild from `session.getMessages` where exact history matters.
 *
 * Completes when the source completes and errors when it errors; unsubscribing forgets the chain.
 *
 * ## Example
 * ```ts
 * session.events$.pipe(chainGaps()).subscribe((gap) => log.warn(`history gap before ${gap.type} ${gap.eventId}`));
 * ```
 *
 * @see dedupeEvents
 * @return A function that returns an Observable of the breaks in the chain.
 */
export function chainGaps(): OperatorFunction<EventLike, ChainGap> {
  return (source) =>
    defer(() => {
      // Per subscription: the last persisted id, and the persisted ids seen (oldest first).
      let last: string | undefined;
      const seen = new Set<string>();

      const step = (event: EventLike): ChainGap | undefined => {
        const { id, parentId } = event;
        if (event.ephemeral === true || typeof id !== 'string' || seen.has(id)) return undefined;
        seen.add(id);
        if (seen.size > REMEMBERED_IDS) seen.delete(seen.values().next().value as string);
        const expectedParentId = last;
        last = id;
        if (typeof parentId !== 'string' || expectedParentId === undefined || parentId === expectedParentId) return undefined;
        return { eventId: id, type: event.type, parentId, expectedParentId, parentSeen: seen.has(parentId) };
      };

      return source.pipe(
        map(step),
        filter((gap): gap is ChainGap => gap !== undefined),
      );
    });
}
