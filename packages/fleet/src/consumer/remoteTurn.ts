/**
 * A remote turn, shaped like a local one (core's `session.send()`): cold; on subscribe it first opens
 * a live read of the session's events and only once the broker holds that consumer sends the prompt
 * (the host publishes the turn's first events before its send is even answered); it emits the turn's
 * events up to and including the main agent's `session.idle`, then completes. A main-agent
 * `session.error` errors it with core's SessionError; a refused send with the FleetControlError; a
 * send the host did not answer in time (its turn queue may hold it) with FleetTimeoutError, and an
 * abort goes to the host so the turn leaves its queue. Unsubscribing before the end aborts the turn on
 * the host; a failed abort is reported, not thrown.
 *
 * Stale idles: an earlier aborted turn's `session.idle` can arrive after this send went out, so an
 * idle ends the turn only once this turn's own `user.message` was seen.
 */
import { Observable } from 'rxjs';
import { SessionError, type SessionEvent } from '@copilot-rx/core';
import { FleetTimeoutError } from '../errors.js';
import type { FleetEvent } from './fleetEvents.js';

export interface RemoteTurnContext {
  readonly liveEvents: (onReady: () => void) => Observable<FleetEvent>;
  readonly send: () => Promise<unknown>;
  readonly abort: () => Promise<unknown>;
  readonly reportAbortFailure: (error: unknown) => void;
  readonly sessionId: string;
}

export function remoteTurn(context: RemoteTurnContext): Observable<SessionEvent> {
  return new Observable<SessionEvent>((subscriber) => {
    let started = false;
    let ended = false;
    const end = (error?: unknown) => {
      ended = true;
      if (error === undefined) subscriber.complete();
      else subscriber.error(error);
    };
    const events = context
      .liveEvents(() => {
        if (ended) return;
        context.send().catch((error: unknown) => {
          if (ended) return;
          // No answer in time: the host may still hold the turn (waiting in its turn queue, or
          // started), and nobody will read it, so it is aborted there too.
          if (error instanceof FleetTimeoutError) context.abort().catch(context.reportAbortFailure);
          end(error);
        });
      })
      .subscribe({
        next: ({ event }) => {
          const main = event.agentId === undefined;
          if (main && event.type === 'user.message') started = true;
          if (!started) return;
          subscriber.next(event);
          if (main && event.type === 'session.idle') return end();
          if (main && event.type === 'session.error' && event.data.errorType !== 'notification') {
            const { errorType, statusCode, message, errorCode } = event.data;
            end(new SessionError(context.sessionId, errorType, statusCode, message, errorCode));
          }
        },
        error: (error: unknown) => {
          if (!ended) end(error);
        },
      });
    return () => {
      events.unsubscribe();
      if (!ended) {
        ended = true;
        context.abort().catch(context.reportAbortFailure);
      }
    };
  });
}
