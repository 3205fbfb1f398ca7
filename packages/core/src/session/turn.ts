/**
 * One turn as a cold Observable: subscribe to the session's events, THEN send the prompt (the CLI
 * emits events before it answers `session.send`), emit the turn's events up to and including the
 * session's `session.idle`, then complete.
 *
 * How a turn ends (protocol.md §5.4): `session.idle` is per session, not per send. After an abort, the
 * aborted loop's `session.idle {aborted:true}` can arrive AFTER the next send went out, and would end
 * the next turn too early. So when the session was still busy at send time, idles are ignored until
 * this turn's own `user.message` has been seen: any idle before it belongs to earlier work.
 *
 * Failure: a main-agent `session.error` errors the turn with a SessionError (sub-agent errors and
 * error-level log lines, errorType "notification", do not); the connection dying errors it with
 * ConnectionClosedError. Unsubscribing before the end aborts the turn on the CLI.
 */
import { Observable } from 'rxjs';
import type { SessionSendParams } from '../codecs/methods/index.js';
import type { SessionEvent } from '../codecs/sessionEvent.js';
import { InvalidStateError, SessionError } from '../errors.js';

export type SendOptions = Omit<SessionSendParams, 'sessionId'>;

export interface TurnContext {
  readonly sessionId: string;
  readonly events$: Observable<SessionEvent>;
  /** True while earlier work may still produce a `session.idle`. */
  readonly isBusy: () => boolean;
  readonly markBusy: () => void;
  readonly sendRequest: (params: SessionSendParams) => Observable<unknown>;
  readonly abort: () => Promise<void>;
}

export function turn(context: TurnContext, options: SendOptions): Observable<SessionEvent> {
  return new Observable<SessionEvent>((subscriber) => {
    const idleMayBeStale = context.isBusy();
    let started = false;
    let ended = false;
    const end = (error?: Error) => {
      ended = true;
      if (error) subscriber.error(error);
      else subscriber.complete();
    };

    const events = context.events$.subscribe({
      next: (event) => {
        const main = event.agentId === undefined;
        if (main && event.type === 'user.message') started = true;
        if (main && event.type === 'session.idle') {
          if (idleMayBeStale && !started) return;
          subscriber.next(event);
          return end();
        }
        subscriber.next(event);
        if (main && event.type === 'session.error' && event.data.errorType !== 'notification') {
          const { errorType, statusCode, message, errorCode } = event.data;
          end(new SessionError(context.sessionId, errorType, statusCode, message, errorCode));
        }
      },
      error: (error: unknown) => end(error instanceof Error ? error : new Error(String(error))),
      complete: () => {
        if (!ended) end(new InvalidStateError(`Session ${context.sessionId} was destroyed during the turn`));
      },
    });

    if (!ended) {
      context.markBusy();
      const send = context.sendRequest({ ...options, sessionId: context.sessionId }).subscribe({
        error: (error: unknown) => {
          if (!ended) end(error instanceof Error ? error : new Error(String(error)));
        },
      });
      events.add(send);
    }

    return () => {
      events.unsubscribe();
      // Walking away from a running turn stops the agent too: nobody is left to read it.
      if (!ended) void context.abort().catch(() => undefined);
    };
  });
}
