/**
 * What the client keeps to carry its sessions across a lost link: each session's route (held while
 * its history is read), and its position in the CLI's event log (the cursor of the last backfill, or
 * the tail when it attached). On reconnect every session is resumed with its own handlers and tools
 * (they are per attachment) and `continuePendingWork: true`, then backfilled from its position: what
 * this client already delivered is dropped by id, the missed events arrive in order, then live ones.
 */
import { Subject, type Observable } from 'rxjs';
import type { SessionEvent } from '../codecs/sessionEvent.js';
import { ResponseDecodeError, RpcError } from '../errors.js';
import type { EventHub } from '../events/eventHub.js';
import type { RpcConnection, RequestOptions } from '../rpc/connection.js';
import { createSessionRpc } from '../rpcApi/index.js';
import { backfill } from '../session/backfill.js';
import { toSessionParams } from '../session/config.js';
import { HeldRoute } from '../session/heldRoute.js';
import { markReplayed } from '../session/replayed.js';
import { registerMcpAuthInterest } from '../session/mcpAuth.js';
import type { RxSession } from '../session/RxSession.js';

/** Which history `resumeSession` delivers before the live events. */
export type ReplayOption = 'none' | 'all' | { readonly afterEventId: string };

/**
 * History that could not be recovered whole, reported on `client.backfillGaps$`:
 * - `cursor-expired`: after a reconnect, the CLI no longer had the events from the session's last
 *   position; what it still had was delivered (persisted events are authoritative), pruned ephemeral
 *   ones (deltas) may be missing;
 * - `event-not-found`: `replay: { afterEventId }` named an event the CLI's history does not hold, so
 *   the whole history it has was replayed instead;
 * - `backfill-unavailable`: the agent refused to read its event log (an agent without one): live
 *   events go on, the missed ones are not recovered.
 */
export interface BackfillGap {
  readonly sessionId: string;
  readonly reason: 'cursor-expired' | 'event-not-found' | 'backfill-unavailable';
}

interface Tracked {
  readonly session: RxSession;
  readonly route: HeldRoute;
  cursor: string | undefined;
  /**
   * The turn that was running when the link was lost (its `turnSerial`), if one was. Only that turn
   * can have lost its work with the old link; a turn sent while reconnecting is the new link's.
   */
  turnAtCut: number | undefined;
}

export class DurableSessions {
  readonly #tracked = new Map<string, Tracked>();
  readonly #gaps = new Subject<BackfillGap>();
  readonly gaps$: Observable<BackfillGap> = this.#gaps.asObservable();

  /**
   * @param requestOptions The options of the requests an attach makes (the app's call: its bounds).
   * @param reattachOptions The options of the requests a re-attach makes after a reconnect: bounded,
   *   since the client is not `connected` until they answer and a silent CLI must not hold it there.
   */
  constructor(
    private readonly hub: EventHub,
    private readonly requestOptions: () => RequestOptions,
    private readonly reattachOptions: () => RequestOptions = requestOptions,
  ) {}

  /** Opens the hub route of a session about to be created or resumed (before the request: early events). */
  open(session: RxSession): void {
    const route = new HeldRoute(session);
    this.#tracked.set(session.id, { session, route, cursor: undefined, turnAtCut: undefined });
    this.hub.openRoute(session.id, route);
  }

  forget(sessionId: string): void {
    this.#tracked.delete(sessionId);
  }

  /** Holds a resumed session's live events until its history, read now, has been delivered. */
  holdForReplay(sessionId: string): void {
    this.#tracked.get(sessionId)?.route.hold();
  }

  /**
   * After create/resume answered: remembers where the session's log stands, and for a replay reads
   * the history now and hands it (marked, see `isReplayed`) to the first subscriber of `events$`,
   * ahead of the live events that came meanwhile.
   */
  async attached(rpc: RpcConnection, sessionId: string, replay: ReplayOption): Promise<void> {
    const tracked = this.#tracked.get(sessionId);
    if (!tracked) return;
    const sessionRpc = createSessionRpc(sessionId, (method, params) => rpc.request(method, params, this.requestOptions()));
    if (replay === 'none') {
      // Without a position a reconnect reads the whole history (de-duplicated): slower, not wrong.
      // An agent without an event log (an older CLI, a fake) must not make the attach fail.
      tracked.cursor = await sessionRpc.eventLog.tail().then(
        (tail) => tail.cursor,
        () => undefined,
      );
      return;
    }
    const history: SessionEvent[] = [];
    const afterEventId = typeof replay === 'object' ? replay.afterEventId : undefined;
    let found = afterEventId === undefined;
    const result = await backfill({
      rpc: sessionRpc,
      cursor: undefined,
      admit: (raw) => this.#admit(sessionId, raw),
      deliver: (event) => {
        history.push(markReplayed(event));
        if (event.id === afterEventId) found = true;
      },
    });
    tracked.cursor = result.cursor;
    let replayed = history;
    if (afterEventId !== undefined) {
      const at = history.findIndex((event) => event.id === afterEventId);
      if (found) replayed = history.slice(at + 1);
      else this.#gaps.next({ sessionId, reason: 'event-not-found' });
    }
    tracked.session.startOnFirstSubscriber(() => {
      for (const event of replayed) tracked.route.deliverHistory(event);
      tracked.route.release();
    });
  }

  /** The link broke: remembers, per session, the turn that was running on it (see `turnAtCut`). */
  linkLost(): void {
    for (const tracked of this.#tracked.values()) {
      tracked.turnAtCut = tracked.session.busy ? tracked.session.turnSerial : undefined;
    }
  }

  /**
   * Re-attaches every session on a new connection: resume (its config re-sent, pending work kept),
   * then backfill. A session the CLI will not resume ends with that error; the others go on.
   */
  async reattachAll(rpc: RpcConnection): Promise<void> {
    await Promise.all([...this.#tracked.values()].map((tracked) => this.#reattach(rpc, tracked)));
  }

  async #reattach(rpc: RpcConnection, tracked: Tracked): Promise<void> {
    const { session, route } = tracked;
    const options = this.reattachOptions();
    const sessionRpc = createSessionRpc(session.id, (method, params) => rpc.request(method, params, options));
    route.hold();
    // Any failure but the CLI's own refusal is the new link breaking (a write to a destroyed socket
    // fails before the link reports its close): the route stays held, since what waits is newer than
    // the history the next attempt reads again, and the next attempt re-attaches this session.
    try {
      const params = { ...toSessionParams(session.id, session.config), continuePendingWork: true };
      await rpc.call('session.resume', params, options);
      // Interests belong to the link that registered them: the new one asks again, as the attach did,
      // or the CLI would never route an MCP sign-in to onMcpAuth again.
      if (session.config.onMcpAuth) await registerMcpAuthInterest({ rpc: sessionRpc });
    } catch (error) {
      if (!isRefusal(error) || rpc.closedError) throw error;
      // The CLI will not resume it (e.g. never persisted) or take its interest (as an attach would
      // then fail): this session ends, the others go on.
      this.#tracked.delete(session.id);
      route.end(error);
      session.dispose();
      return;
    }
    try {
      const result = await backfill({
        rpc: sessionRpc,
        cursor: tracked.cursor,
        admit: (raw) => {
          const event = this.#admit(session.id, raw);
          if (event === undefined) route.deliverWaiting(eventId(raw));
          return event;
        },
        deliver: (event) => route.deliverHistory(event),
      });
      tracked.cursor = result.cursor;
      if (result.expired) this.#gaps.next({ sessionId: session.id, reason: 'cursor-expired' });
    } catch (error) {
      if (!isRefusal(error) || rpc.closedError) throw error;
      // An agent without an event log: live events go on, what was missed is not recovered.
      this.#gaps.next({ sessionId: session.id, reason: 'backfill-unavailable' });
    }
    route.release();
    // A turn still running here whose work the CLI no longer has (a new CLI process resumed the
    // session, and no `session.shutdown` said so) would wait forever for its idle: fail it.
    // An agent that cannot say is taken at its word that the turn runs (its events will tell).
    const processing = await sessionRpc.metadata.isProcessing().then(
      (answer) => answer.processing,
      () => true,
    );
    // Only the turn the cut caught: one sent while reconnecting waits for this link and is not lost.
    const caught = tracked.turnAtCut !== undefined && session.busy && session.turnSerial === tracked.turnAtCut;
    tracked.turnAtCut = undefined;
    if (caught && !processing) {
      session.interruptTurn('the CLI no longer runs the turn after the reconnect (its process was restarted)');
    }
  }

  #admit(sessionId: string, raw: unknown): SessionEvent | undefined {
    return this.hub.admit(sessionId, raw);
  }

  complete(): void {
    this.#tracked.clear();
    this.#gaps.complete();
  }
}

function eventId(raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : '';
}

/**
 * The CLI answered with an error of its own (JSON-RPC's standard codes, -32700 to -32600; it uses
 * -32603 for a failed session call). vscode-jsonrpc's own codes (-32099 to -32096: a write to a
 * closed stream, a connection disposed) mean the link, not the CLI. An answer that failed its codec
 * came from the CLI too.
 */
function isRefusal(error: unknown): boolean {
  if (error instanceof ResponseDecodeError) return true; // an answer came, just not a usable one
  return error instanceof RpcError && error.rpcCode <= -32600 && error.rpcCode >= -32700;
}
