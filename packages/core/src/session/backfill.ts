/**
 * Reads a session's history from the CLI's event log (`session.eventLog.read`), page by page, from a
 * cursor to the tail. Each raw event goes through `admit` (decode and de-duplication by id, the same
 * window live events pass), so an event this client already delivered is dropped and only the missed
 * ones reach `deliver`, in the order the CLI emitted them.
 *
 * When the CLI answers `cursorStatus: "expired"` (the cursor's event fell out of its window) it reads
 * from the beginning of what it still has: the read goes on from there, the duplicates are dropped by
 * id, and the result says `expired` so the caller can report the gap. Ephemeral events (deltas) that
 * the CLI already pruned are gone; the persisted ones (`assistant.message`) are the authoritative record.
 */
import type { SessionEvent } from '../codecs/sessionEvent.js';
import type { SessionRpc } from '../rpcApi/index.js';

/** Pages of `max` events; the CLI's own limit is 1000. */
const PAGE_SIZE = 1000;
/** A bound on one backfill: 100 000 pages of 1000 events is more than any session holds. */
const MAX_PAGES = 100_000;

export interface BackfillOptions {
  readonly rpc: Pick<SessionRpc, 'eventLog'>;
  /** Where to start; undefined: the beginning of the session's history. */
  readonly cursor: string | undefined;
  /** Decodes and de-duplicates one raw event; undefined when it is a repeat or failed its codec. */
  readonly admit: (raw: unknown) => SessionEvent | undefined;
  readonly deliver: (event: SessionEvent) => void;
  /** false: persisted events only (a history replay that has no use for pruned-or-not deltas). */
  readonly includeEphemeral?: boolean;
}

export interface BackfillResult {
  /** The cursor after the last event read: where the next backfill starts. */
  readonly cursor: string;
  /** Events delivered (new to this client). */
  readonly delivered: number;
  /** True when the CLI reported the start cursor expired: events between it and the CLI's window may be lost. */
  readonly expired: boolean;
}

export async function backfill(options: BackfillOptions): Promise<BackfillResult> {
  const { rpc, admit, deliver, includeEphemeral = true } = options;
  let cursor = options.cursor;
  let delivered = 0;
  let expired = false;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await rpc.eventLog.read({ ...(cursor === undefined ? {} : { cursor }), max: PAGE_SIZE, includeEphemeral });
    if (result.cursorStatus === 'expired') expired = true;
    for (const raw of result.events) {
      const event = admit(raw);
      if (event === undefined) continue;
      delivered++;
      deliver(event);
    }
    cursor = result.cursor;
    if (!result.hasMore) break;
  }
  return { cursor: cursor ?? '', delivered, expired };
}
