/**
 * A session's route that can be held: while a resume or a reconnect reads the session's history, the
 * live events that arrive meanwhile wait here, so the history is delivered first and the session's
 * stream stays in the order the CLI emitted. The hub has already de-duplicated what waits here, so a
 * history event that repeats a waiting one is dropped at the hub; that waiting one is delivered at
 * that point of the history (`deliverWaiting`), the rest when the history reaches them or on release.
 *
 * ORDERING: the event log's order wins over the link's. The catch-up burst CLI 1.0.102 sends a link
 * that has just resumed can be out of log order (seen under load: deltas 1927..1934 on the wire
 * before 1926), so a waiting event is never delivered ahead of its own place in the history, and
 * the wire order counts only for what the history does not hold (what came after it was read).
 */
import type { SessionEvent } from '../codecs/sessionEvent.js';
import type { SessionRoute } from '../events/eventHub.js';

export class HeldRoute implements SessionRoute {
  #waiting: SessionEvent[] | undefined;
  #ended: { readonly error: unknown } | undefined;

  constructor(readonly target: SessionRoute) {}

  get held(): boolean {
    return this.#waiting !== undefined;
  }

  /** From now on live events wait until `release()`. */
  hold(): void {
    this.#waiting ??= [];
  }

  /** A live event from the hub: delivered, or kept while held. */
  deliver(event: SessionEvent): void {
    if (this.#waiting) this.#waiting.push(event);
    else this.target.deliver(event);
  }

  /** An event read from history: delivered at once, ahead of the live events waiting. */
  deliverHistory(event: SessionEvent): void {
    if (this.#ended === undefined) this.target.deliver(event);
  }

  /**
   * History reached an event that already waits here (the hub dropped it as a repeat): it goes now,
   * at its place in the log. The ones the wire put before it stay: each is either later in the
   * history (the wire had them out of order) or newer than all of it, and goes then.
   */
  deliverWaiting(eventId: string): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    const at = waiting.findIndex((event) => event.id === eventId);
    if (at < 0) return;
    const [event] = waiting.splice(at, 1);
    if (event) this.target.deliver(event);
  }

  /** Delivers the waiting live events in order, then lets live events through again. */
  release(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    for (const event of waiting ?? []) this.target.deliver(event);
  }

  end(error?: unknown): void {
    if (this.#ended !== undefined) return;
    this.#ended = { error };
    // The events that waited were emitted before the end: they go first.
    this.release();
    this.target.end(error);
  }
}
