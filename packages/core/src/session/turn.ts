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
 * ConnectionClosedError; `session.send` answered with an error errors it with that error and leaves the
 * session not busy (nothing runs); `silenceTimeoutMs` without an event errors it with TurnSilenceError
 * and aborts it on the CLI. Unsubscribing before the end aborts the turn on the CLI; a failed abort is
 * reported (answerFailures$, reason `abort-failed`).
 */
import { Observable, asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import type { SessionSendParams } from '../codecs/methods/index.js';
import type { SessionEvent } from '../codecs/sessionEvent.js';
import { InvalidStateError, SessionError, TurnInterruptedError, TurnSilenceError } from '../errors.js';
import { createOperatorSubscriber } from '../rx/operatorSubscriber.js';
import { isReplayed } from './replayed.js';

/** Options of one turn that stay on this side of the wire. */
export interface TurnOptions {
  /**
   * Fail the turn with TurnSilenceError, and abort it on the CLI, when no event of the session arrives
   * for this many ms: from the send to the first event, and between any two events. The clock does
   * not run out while one of this session's own handlers (a tool, a permission prompt) is still
   * working, since the CLI is then waiting on this client. Default: no limit.
   */
  readonly silenceTimeoutMs?: number;
  /**
   * Called once the CLI accepted the prompt, with its answer to `session.send` (`{ messageId }`),
   * after any wait in the client's turn queue: for code that relays a turn and must say when it
   * really started (the fleet's host answers a remote send then); not called when the turn ended
   * before the answer came. What it throws ends the turn with that error, and aborts it on the CLI.
   */
  readonly onSent?: (answer: unknown) => void;
}

export type SendOptions = Omit<SessionSendParams, 'sessionId'> & TurnOptions;

export interface TurnContext {
  readonly sessionId: string;
  readonly events$: Observable<SessionEvent>;
  /** True while earlier work may still produce a `session.idle`. */
  readonly isBusy: () => boolean;
  readonly markBusy: () => void;
  /** The send was refused: nothing runs on the CLI for it. */
  readonly markIdle: () => void;
  /**
   * When the session's handlers last worked on an answer the CLI waits for: Infinity while one still
   * does, else the time (scheduler clock, ms) the last one settled, -Infinity if none ever ran.
   */
  readonly handlerActivity: () => number;
  readonly sendRequest: (params: SessionSendParams) => Observable<unknown>;
  readonly abort: () => Promise<void>;
  readonly reportAbortFailure: (error: unknown) => void;
  /**
   * Emits the reason when the session's work was lost with no event to say so (the CLI process died
   * and a new one resumed the session): the turn fails with TurnInterruptedError. Optional.
   */
  readonly interrupted$?: Observable<string>;
  /** Drives the silence clock. Default: asyncScheduler. */
  readonly scheduler?: SchedulerLike;
}

export function turn(context: TurnContext, options: SendOptions): Observable<SessionEvent> {
  const { silenceTimeoutMs, onSent, ...sendOptions } = options;
  if (silenceTimeoutMs !== undefined && !(silenceTimeoutMs > 0)) {
    throw new RangeError(`silenceTimeoutMs must be a positive number of milliseconds. Got ${String(silenceTimeoutMs)}`);
  }
  const scheduler = context.scheduler ?? asyncScheduler;
  return new Observable<SessionEvent>((subscriber) => {
    const idleMayBeStale = context.isBusy();
    let started = false;
    let ended = false;
    let eventsSeen = 0;
    const received: SessionEvent[] = [];
    let silence: Subscription | undefined;
    let lastHeard = scheduler.now();
    const abortOnCli = () => void context.abort().catch((error: unknown) => context.reportAbortFailure(error));
    const end = (error?: Error) => {
      ended = true;
      silence?.unsubscribe();
      if (error) subscriber.error(error);
      else subscriber.complete();
    };
    // Silence counts from the last event, or from when our own last handler settled if that is
    // later: while a handler of ours works, the CLI is waiting on us, not silent.
    const armSilence = (delay = silenceTimeoutMs) => {
      if (silenceTimeoutMs === undefined || delay === undefined || ended) return;
      silence?.unsubscribe();
      silence = scheduler.schedule(() => {
        const activity = context.handlerActivity();
        if (activity === Infinity) return armSilence();
        const remaining = Math.max(lastHeard, activity) + silenceTimeoutMs - scheduler.now();
        if (remaining > 0) return armSilence(remaining);
        abortOnCli();
        end(new TurnSilenceError(context.sessionId, silenceTimeoutMs, eventsSeen));
      }, delay);
    };

    // Linked to the consumer before events$ can emit: events$ delivers synchronously inside this
    // subscribe when it replays a history or releases events that waited, and a consumer that leaves
    // on one of them must stop the delivery, and the send below, at once.
    const events = createOperatorSubscriber<SessionEvent>(subscriber, {
      next: (event) => {
        // History replayed by resumeSession belongs to earlier turns (its idles would end this one).
        if (isReplayed(event)) return;
        eventsSeen++;
        lastHeard = scheduler.now();
        armSilence();
        const main = event.agentId === undefined;
        if (main && event.type === 'session.shutdown') {
          // The CLI ended the session under the turn (its only holder's link broke): the work is gone.
          context.markIdle();
          return end(new TurnInterruptedError(context.sessionId, received, 'the CLI shut the session down (session.shutdown: its only connection was lost, or it was destroyed)'));
        }
        received.push(event);
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
    context.events$.subscribe(events);

    // Nothing is sent for a consumer that already left, so there is nothing to abort either.
    let sent = false;
    if (!ended && !subscriber.closed) {
      sent = true;
      context.markBusy();
      armSilence();
      const send = context.sendRequest({ ...sendOptions, sessionId: context.sessionId }).subscribe({
        next: (answer) => {
          try {
            onSent?.(answer);
          } catch (error) {
            abortOnCli();
            end(error instanceof Error ? error : new Error(String(error)));
          }
        },
        error: (error: unknown) => {
          if (ended) return;
          // The CLI refused the send (or never answered it): no turn runs for it, so no idle will
          // come to clear the flag.
          context.markIdle();
          end(error instanceof Error ? error : new Error(String(error)));
        },
      });
      events.add(send);
      const interrupted = context.interrupted$?.subscribe((reason) => {
        if (ended) return;
        context.markIdle();
        end(new TurnInterruptedError(context.sessionId, received, reason));
      });
      if (interrupted) events.add(interrupted);
    }

    return () => {
      events.unsubscribe();
      silence?.unsubscribe();
      // Walking away from a running turn stops the agent too: nobody is left to read it.
      if (!ended && sent) abortOnCli();
    };
  });
}
