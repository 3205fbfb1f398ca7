import { type Observable, type OperatorFunction, Subject } from 'rxjs';
import { type EventLike, isEvent } from './events.js';
import { createOperatorSubscriber, operate } from './internal/operate.js';

/**
 * Splits a session stream into one Observable per user message.
 *
 * Each main-agent `user.message` opens a new turn: an Observable that starts with that event and
 * carries every following event until the next user message or `session.idle` (included).
 *
 * ```
 * source:  -x-u-a-b-v-c-i-y--|       u, v = user.message, i = session.idle, x, y = other events
 * turns()
 * result:  ---U-----V--------|
 *             U = u-a-b-|
 *                   V = v-c-(i|)
 * ```
 *
 * A turn is the whole agent loop of one prompt: several model calls (`assistant.turn_start` ..
 * `turn_end`), their tools and any sub-agent events; a sub-agent's own `user.message` (it carries
 * `agentId`) does not open a turn. Queued prompts are run one after the other, each with its own
 * `user.message`, and share one final `session.idle`. Events before the first user message and
 * between `session.idle` and the next user message belong to no turn and are not emitted.
 *
 * Turns are hot, like `window`'s: subscribe to each when it is emitted (`mergeMap`, `concatMap`,
 * `switchMap` do), or its first events are missed. When the source completes the open turn
 * completes, then the result; when the source errors both error. Unsubscribing from the result stops
 * the open turn without a completion, as `window` does.
 *
 * ## Example
 * ```ts
 * session.events$
 *   .pipe(
 *     turns(),
 *     mergeMap((turn$) => turn$.pipe(accumulateText(), last(), map((s) => s.text))),
 *   )
 *   .subscribe((answer) => history.push(answer));
 * ```
 *
 * @see window
 * @see untilIdle
 * @return A function that returns an Observable of turns, each an Observable of its events.
 */
export function turns<E extends EventLike>(): OperatorFunction<E, Observable<E>> {
  return operate<E, Observable<E>>((source, subscriber) => {
    let turn: Subject<E> | undefined;
    const end = (): void => {
      const ending = turn;
      turn = undefined;
      ending?.complete();
    };

    source.subscribe(
      createOperatorSubscriber(subscriber, {
        next: (event) => {
          if (isEvent(event, 'user.message') && event.agentId === undefined) {
            end();
            turn = new Subject<E>();
            // May unsubscribe us synchronously; the teardown then clears `turn`.
            subscriber.next(turn.asObservable());
          }
          turn?.next(event);
          if (isEvent(event, 'session.idle')) end();
        },
        error: (err) => {
          turn?.error(err);
          subscriber.error(err);
        },
        complete: () => {
          end();
          subscriber.complete();
        },
      }),
    );

    return () => {
      // Like window: whoever still holds the turn gets no more events (and an error if it subscribes).
      turn?.unsubscribe();
      turn = undefined;
    };
  });
}
