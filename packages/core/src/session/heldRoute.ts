/**
 * A session's route that can be held: while a resume or a reconnect reads the session's history, the
 * live events that arrive meanwhile wait here, so the history is delivered first and the session's
 * stream stays in the order the CLI emitted. The hub has already de-duplicated what waits here, so a
 * history event that repeats a waiting one is dropped at the hub; the waiting ones up to it are
 * delivered at that point of the history (`deliverWaitingThrough`), the rest when released.
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
   * History reached an event that already waits here (the hub dropped it as a repeat): the waiting
   * events up to it are older than the history still to come, so they go now, in order.
   */
  deliverWaitingThrough(eventId: string): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    const at = waiting.findIndex((event) => event.id === eventId);
    if (at < 0) return;
    for (const event of waiting.splice(0, at + 1)) this.target.deliver(event);
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
