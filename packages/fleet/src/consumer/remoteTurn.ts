/**
 * A remote turn, shaped like a local one (core's `session.send()`): cold; on subscribe it first opens
 * a live read of the session's feed (its events and lifecycle records, one consumer) and only once the
 * broker holds that consumer sends the prompt, with a fresh turn id (the host publishes the turn's
 * first events before its send is even answered); it emits the turn's
 * events up to and including the main agent's `session.idle`, then completes. A main-agent
 * `session.error` errors it with core's SessionError; a refused send with the FleetControlError; a
 * send the host did not answer in time (its turn queue may hold it) with FleetTimeoutError, and an
 * abort goes to the host so the turn leaves its queue. Unsubscribing before the end aborts the turn on
 * the host; a failed abort is reported, not thrown.
 *
 * The live read must be ready within `readyTimeoutMs` (the fleet's sendTimeoutMs): a read opened
 * before the stream exists waits for it, and with no host on the broker (or the wrong broker) the
 * send would never go out; the turn fails with FleetTimeoutError naming the wait, having sent nothing.
 *
 * A turn that fails on the host after its send was answered (its CLI died or was restarted under it,
 * the client closed, a destroy) may never bring an idle: the host publishes a `turn.failed` record
 * carrying this turn's id, and the turn fails with FleetTurnFailedError (the host's code and message).
 * A record of another turn (an earlier one of this session, another consumer's) is not this one's end.
 *
 * `silenceTimeoutMs`, like a local turn's: once the host accepted the send, the turn fails with core's
 * TurnSilenceError, and is aborted on the host, when no event of the session arrives for that long.
 * The clock pauses while a prompt that a person answers waits (`permission.requested`,
 * `user_input.requested`, `elicitation.requested`, `mcp.oauth_required`, `exit_plan_mode.requested`,
 * `auto_mode_switch.requested`, `session_limits_exhausted.requested`, `sampling.requested`, until the
 * event of the same request id that settles it): the CLI is then waiting on them, not silent. Other requests do not
 * pause it: an `external_tool.requested` that no client owns, or a tool an abort interrupted, never
 * completes. Each pause lasts at most MAX_PROMPT_PAUSE_MS (10 minutes), so a prompt that is never
 * settled cannot hold the turn for ever; and a turn keeps at most MAX_OPEN_PROMPTS (1,000) open
 * prompts, forgetting the oldest beyond it.
 *
 * A gap in the session's events while the turn runs (the host's outbox was full and dropped some: an
 * `events.dropped` record) may have swallowed its idle: the turn fails with FleetTurnFailedError
 * (reason EVENTS_DROPPED), and is aborted on the host, since nobody can follow it any more. Only a
 * gap that names this turn among its `turnIds` (or names none: an older host) counts: another turn's
 * gap, published after this send went out, leaves it running.
 *
 * A dead host sends no idle: once the fleet's hosts watch shows the turn's host down (its health record
 * expired, or deleted by a stop), the turn fails with FleetHostDownError, and an abort goes out in case
 * the host was only cut off and comes back. Should the watch fail, the turn goes on without it.
 *
 * Stale idles: an earlier aborted turn's `session.idle` can arrive after this send went out, so an
 * idle ends the turn only once this turn's own `user.message` was seen.
 */
import { randomUUID } from 'node:crypto';
import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { SessionError, TurnSilenceError, type SessionEvent } from '@copilot-rx/core';
import { FleetHostDownError, FleetTimeoutError, FleetTurnFailedError } from '../errors.js';
import { FLEET_STREAM } from '../subjects.js';
import type { LifecycleRecord } from '../wire/records.js';
import type { HostStatus } from './hostsView.js';
import type { SessionFeedItem } from './sessionFeed.js';

export interface RemoteTurnContext {
  /** The session's live feed from now on; `onReady` once the broker holds its consumer. */
  readonly feed: (onReady: () => void) => Observable<SessionFeedItem>;
  /** Sends the prompt, naming the turn `turnId` (a host's `turn.failed` record names it back). */
  readonly send: (turnId: string) => Promise<unknown>;
  readonly abort: () => Promise<unknown>;
  readonly reportAbortFailure: (error: unknown) => void;
  readonly host: string;
  readonly sessionId: string;
  /**
   * The fleet's hosts (one shared watch, replaying its latest list): the turn fails when its host is
   * down. Its error is not the turn's: the turn goes on without host-down detection.
   */
  readonly hosts$: Observable<readonly HostStatus[]>;
  /**
   * How long the live read may take to be ready, before anything is sent (the fleet's sendTimeoutMs):
   * a read waits for a stream that does not exist yet (no host started on this broker, or the wrong
   * broker), and the send, with its own bound, would never go out.
   */
  readonly readyTimeoutMs: number;
  /** Fail the turn when no event arrives for this long once the send was accepted. Default: no limit. */
  readonly silenceTimeoutMs?: number;
  /** Drives the silence clock. Default: asyncScheduler. */
  readonly scheduler?: SchedulerLike;
}

/** The prompts a person answers: the event that asks, and the one of the same request id that settles it. */
const PERSON_PROMPTS: ReadonlyMap<string, string> = new Map([
  ['permission.requested', 'permission.completed'],
  ['user_input.requested', 'user_input.completed'],
  ['elicitation.requested', 'elicitation.completed'],
  ['mcp.oauth_required', 'mcp.oauth_completed'],
  // Answered through the UI's handlePending* methods: a person approves or declines each.
  ['exit_plan_mode.requested', 'exit_plan_mode.completed'],
  ['auto_mode_switch.requested', 'auto_mode_switch.completed'],
  ['session_limits_exhausted.requested', 'session_limits_exhausted.completed'],
  ['sampling.requested', 'sampling.completed'],
]);
const SETTLED_BY: ReadonlyMap<string, string> = new Map([...PERSON_PROMPTS].map(([asks, settles]) => [settles, asks]));

/** The longest one open prompt pauses a turn's silence clock. */
export const MAX_PROMPT_PAUSE_MS = 10 * 60_000;

/**
 * Most open prompts a turn keeps: beyond it the oldest is forgotten (its pause ends), so a session that
 * asks and never settles cannot grow a turn's memory without bound.
 */
export const MAX_OPEN_PROMPTS = 1_000;

/** @throws RangeError for a `silenceTimeoutMs` that is not a positive number. */
export function remoteTurn(context: RemoteTurnContext): Observable<SessionEvent> {
  const { silenceTimeoutMs, scheduler = asyncScheduler } = context;
  if (silenceTimeoutMs !== undefined && !(silenceTimeoutMs > 0)) {
    throw new RangeError(`silenceTimeoutMs must be a positive number of milliseconds. Got ${String(silenceTimeoutMs)}`);
  }
  return new Observable<SessionEvent>((subscriber) => {
    const turnId = randomUUID();
    let started = false;
    let ended = false;
    /** The send request went out: from then on, giving up on the turn aborts it on the host. */
    let sending = false;
    let eventsSeen = 0;
    let lastHeard = scheduler.now();
    /**
     * Person-answered prompts of the session not settled yet (`<asking type>:<requestId>`), with when
     * they were asked, in the order asked (the first is the oldest); at most MAX_OPEN_PROMPTS.
     */
    const openPrompts = new Map<string, number>();
    let silence: Subscription | undefined;
    let readyBound: Subscription | undefined;
    const end = (error?: unknown) => {
      ended = true;
      silence?.unsubscribe();
      readyBound?.unsubscribe();
      if (error === undefined) subscriber.complete();
      else subscriber.error(error);
    };
    // One timer, not one per event: it looks at when the session was last heard from when it fires,
    // and sleeps again for what is left.
    const watchSilence = (limit: number, delay: number) => {
      silence = scheduler.schedule(() => {
        if (ended) return;
        // The clock runs from the last event, or from the end of the latest pause: an open prompt
        // holds it until MAX_PROMPT_PAUSE_MS after it was asked.
        // A loop, not a spread: spread arguments past ~100 k throw a RangeError.
        let resumedAt = lastHeard;
        for (const askedAt of openPrompts.values()) resumedAt = Math.max(resumedAt, askedAt + MAX_PROMPT_PAUSE_MS);
        const left = resumedAt + limit - scheduler.now();
        // At most `limit` at a time: a prompt settled meanwhile ends its pause early.
        if (left > 0) return watchSilence(limit, Math.min(left, limit));
        context.abort().catch(context.reportAbortFailure);
        end(new TurnSilenceError(context.sessionId, limit, eventsSeen));
      }, delay);
    };
    const heard = (event: SessionEvent) => {
      eventsSeen++;
      lastHeard = scheduler.now();
      const requestId = (event.data as { requestId?: unknown } | undefined)?.requestId;
      if (typeof requestId !== 'string') return;
      if (PERSON_PROMPTS.has(event.type)) {
        const key = `${event.type}:${requestId}`;
        // Deleted first so that a prompt asked again moves to the end: the map stays in the order asked.
        openPrompts.delete(key);
        openPrompts.set(key, lastHeard);
        if (openPrompts.size > MAX_OPEN_PROMPTS) openPrompts.delete(openPrompts.keys().next().value!);
      }
      const asks = SETTLED_BY.get(event.type);
      if (asks !== undefined) openPrompts.delete(`${asks}:${requestId}`);
    };
    const onEvent = (event: SessionEvent) => {
      heard(event);
      const main = event.agentId === undefined;
      if (main && event.type === 'user.message') started = true;
      if (!started) return;
      subscriber.next(event);
      if (main && event.type === 'session.idle') return end();
      if (main && event.type === 'session.error' && event.data.errorType !== 'notification') {
        const { errorType, statusCode, message, errorCode } = event.data;
        end(new SessionError(context.sessionId, errorType, statusCode, message, errorCode));
      }
    };
    const onRecord = (record: LifecycleRecord) => {
      if (record.type === 'turn.failed' && record.turnId === turnId) end(new FleetTurnFailedError(context.host, context.sessionId, record.code, record.message));
      // A gap that names its turns concerns only them: the record may go out long after the drop,
      // when an earlier turn's gap would otherwise fail this one. One that names none may be anyone's.
      if (record.type === 'events.dropped' && sending && (record.turnIds === undefined || record.turnIds.includes(turnId))) {
        // Whatever the gap held (this turn's idle, perhaps) will never come: say so rather than wait,
        // and stop the turn on the host, since nobody can follow it any more.
        const detail = `the host's outbox dropped ${record.count} events of the session (${record.firstId} … ${record.lastId}) while this turn ran`;
        context.abort().catch(context.reportAbortFailure);
        end(new FleetTurnFailedError(context.host, context.sessionId, 'EVENTS_DROPPED', detail));
      }
    };
    // Armed before the read is opened: a read may be ready as soon as it is subscribed.
    readyBound = scheduler.schedule(() => {
      if (ended) return;
      const waitedFor = `the live read of session ${context.sessionId} on host ${context.host} to be ready before its send (sendTimeoutMs; the stream ${FLEET_STREAM} may not exist on this broker: no host has started there)`;
      end(new FleetTimeoutError(waitedFor, context.readyTimeoutMs));
    }, context.readyTimeoutMs);
    const feed = context
      .feed(() => {
        readyBound?.unsubscribe();
        if (ended) return;
        sending = true;
        context.send(turnId).then(
          () => {
            // The clock starts once the host accepted the send: before, the host's turn queue may hold
            // it, which sendTimeoutMs bounds.
            if (ended || silenceTimeoutMs === undefined) return;
            lastHeard = scheduler.now();
            watchSilence(silenceTimeoutMs, silenceTimeoutMs);
          },
          (error: unknown) => {
            if (ended) return;
            // No answer in time: the host may still hold the turn (waiting in its turn queue, or
            // started), and nobody will read it, so it is aborted there too.
            if (error instanceof FleetTimeoutError) context.abort().catch(context.reportAbortFailure);
            end(error);
          },
        );
      })
      .subscribe({
        next: (item) => {
          if (ended) return;
          if (item.kind === 'event') onEvent(item.event);
          else onRecord(item.record);
        },
        error: (error: unknown) => {
          if (!ended) end(error);
        },
      });
    // After the read: the shared watch replays its latest list at once, and a host already down ends
    // the turn there, before anything was sent (so nothing is aborted).
    const hostDown = context.hosts$.subscribe({
      next: (hosts) => {
        const status = hosts.find((candidate) => candidate.host === context.host);
        // A host missing from the list is not taken as down: a host serves control just before its
        // first heartbeat, and one whose record aged out before the watch answers no send at all.
        if (ended || !status || status.up) return;
        if (sending) context.abort().catch(context.reportAbortFailure);
        end(new FleetHostDownError(context.host, context.sessionId, status.downReason ?? 'expired', status.lastSeen));
      },
      // The watch failed (a user may control but not watch the hosts bucket): the turn carries on
      // without host-down detection; the watch's owner reports why (CopilotFleet: controlFailures$).
      error: () => undefined,
    });
    return () => {
      silence?.unsubscribe();
      readyBound?.unsubscribe();
      hostDown.unsubscribe();
      feed.unsubscribe();
      if (!ended) {
        ended = true;
        context.abort().catch(context.reportAbortFailure);
      }
    };
  });
}
