/**
 * A session's event log, as the CLI keeps it for `session.eventLog.read` / `tail` (protocol.md §2.4):
 * every event in creation order, persisted ones for good, ephemeral ones (deltas, usage, idle) in a
 * bounded ring, the oldest pruned first. A cursor is `<id of the event before it>|<sequence number>`
 * (the CLI's form); a cursor whose event is gone, or that does not parse, is `expired`, and the read
 * falls back to the beginning of what is left, as the CLI's does.
 */
import type { WireSessionEvent } from '../../marbles/eventStamper.js';

interface Entry {
  readonly seq: number;
  readonly event: WireSessionEvent;
  /** Gone from reads (an ephemeral event of a lifetime before a reload) but still a valid cursor position. */
  hidden?: boolean;
}

export interface EventLogRead {
  readonly events: WireSessionEvent[];
  readonly cursor: string;
  readonly hasMore: boolean;
  readonly cursorStatus: 'ok' | 'expired';
}

const START = 'start';

export class EventLog {
  readonly #entries: Entry[] = [];
  #next = 0;
  #ephemeral = 0;

  /** @param ephemeralCapacity How many ephemeral events stay readable. */
  constructor(readonly ephemeralCapacity: number) {}

  append(event: WireSessionEvent): void {
    this.#entries.push({ seq: this.#next++, event });
    if (event.ephemeral !== true) return;
    if (++this.#ephemeral <= this.ephemeralCapacity) return;
    const oldest = this.#entries.findIndex((entry) => entry.event.ephemeral === true);
    this.#entries.splice(oldest, 1);
    this.#ephemeral--;
  }

  /**
   * A session loaded again from disk (`session.resume` after a shutdown) has only its persisted
   * events to read; a cursor taken before stays valid (the real CLI's does: measured on 1.0.102).
   */
  dropEphemeral(): void {
    for (const entry of this.#entries) if (entry.event.ephemeral === true) entry.hidden = true;
  }

  /** The cursor of "from now on". */
  tail(): string {
    return this.#cursorAfter(this.#entries.length);
  }

  read(cursor: string | undefined, max: number, includeEphemeral: boolean): EventLogRead {
    const start = cursor === undefined ? 0 : this.#position(cursor);
    const from = start ?? 0;
    const events: WireSessionEvent[] = [];
    let at = from;
    for (; at < this.#entries.length && events.length < max; at++) {
      const { event, hidden } = this.#entries[at]!;
      if (hidden !== true && (includeEphemeral || event.ephemeral !== true)) events.push(event);
    }
    return { events, cursor: this.#cursorAfter(at), hasMore: at < this.#entries.length, cursorStatus: start === undefined ? 'expired' : 'ok' };
  }

  /** The index of the first entry after `cursor`; undefined when its event is no longer here. */
  #position(cursor: string): number | undefined {
    const match = /^(.*)\|(\d+)$/.exec(cursor);
    if (!match) return undefined;
    const [, id, seqText] = match;
    const seq = Number(seqText);
    if (id === START) return seq === 0 ? 0 : undefined;
    const index = this.#entries.findIndex((entry) => entry.seq === seq - 1);
    return index >= 0 && this.#entries[index]!.event.id === id ? index + 1 : undefined;
  }

  #cursorAfter(index: number): string {
    const before = this.#entries[index - 1];
    return before === undefined ? `${START}|0` : `${before.event.id}|${before.seq + 1}`;
  }
}
