/**
 * Asks one of the app's handlers for an answer and always comes back with an outcome, never a
 * rejection: the handler may throw, reject, error, complete empty, return garbage or never settle, and
 * the caller still learns at once (or at the deadline) what to answer the CLI. Every answer is checked
 * with an io-ts decoder before anything acts on it.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { isObservable, type Subscription } from 'rxjs';
import { reportErrors } from '../codecs/reportErrors.js';
import { HandlerTimeoutError, InvalidHandlerAnswerError, type HandlerKind } from '../errors.js';
import { describeValue, type Answer } from './answer.js';

/** Why a handler produced no usable answer. */
export type HandlerFailureReason = 'handler-failed' | 'invalid-answer' | 'handler-timeout';

export type HandlerOutcome<T> =
  | { readonly _tag: 'Answered'; readonly value: T }
  | { readonly _tag: 'Failed'; readonly reason: HandlerFailureReason; readonly error: unknown };

export interface AskOptions {
  readonly handler: HandlerKind;
  /** What the answer is about, for messages: the tool's name or the request's id. */
  readonly subject: string;
  /** The deadline; undefined or non-finite: none. */
  readonly timeoutMs: number | undefined;
  /** Aborted with a HandlerTimeoutError when the deadline passes (the handler's `signal`). */
  readonly controller: AbortController;
}

/**
 * Runs `produce` and settles its answer: a value as is, a Promise's value, an Observable's last value
 * (one that completes without a value is no answer). The answer must pass `decoder`.
 */
export function askHandler<T>(
  produce: () => Answer<unknown>,
  decoder: t.Decoder<unknown, T>,
  options: AskOptions,
): Promise<HandlerOutcome<T>> {
  const { handler, subject, timeoutMs, controller } = options;
  return new Promise<HandlerOutcome<T>>((resolve) => {
    let done = false;
    let deadline: NodeJS.Timeout | undefined;
    let subscription: Subscription | undefined;
    const finish = (outcome: HandlerOutcome<T>) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      subscription?.unsubscribe();
      resolve(outcome);
    };
    const failed = (reason: HandlerFailureReason, error: unknown) => finish({ _tag: 'Failed', reason, error });
    const accept = (value: unknown) => {
      // Checking a hostile value (a getter that throws, nesting deep enough to exhaust the stack) may
      // itself throw: that is an invalid answer too, not a rejection.
      let problems: readonly string[];
      try {
        const decoded = decoder.decode(value);
        if (!isLeft(decoded)) return finish({ _tag: 'Answered', value: decoded.right });
        problems = reportErrors(decoded.left);
      } catch (error) {
        problems = [`it could not be checked (${error instanceof Error ? error.message : String(error)})`];
      }
      failed('invalid-answer', new InvalidHandlerAnswerError(handler, subject, problems, describeValue(value)));
    };

    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      // Unref'd: a handler left pending must not keep the host process alive by itself.
      deadline = setTimeout(() => {
        const error = new HandlerTimeoutError(handler, subject, timeoutMs);
        failed('handler-timeout', error);
        controller.abort(error);
      }, timeoutMs).unref();
    }

    let answer: Answer<unknown>;
    try {
      answer = produce();
    } catch (error) {
      return failed('handler-failed', error);
    }
    try {
      if (isObservable(answer)) {
        let last: { value: unknown } | undefined;
        const inner = answer.subscribe({
          next: (value) => (last = { value }),
          error: (error: unknown) => failed('handler-failed', error),
          complete: () =>
            last
              ? accept(last.value)
              : failed('invalid-answer', new InvalidHandlerAnswerError(handler, subject, ['its Observable completed without a value'], 'nothing')),
        });
        // A synchronous Observable has already finished here; only a pending one is kept to cancel.
        if (done) inner.unsubscribe();
        else subscription = inner;
      } else if (isPromiseLike(answer)) {
        // Both callbacks, always: a rejection after the deadline must not become an unhandled rejection.
        Promise.resolve(answer).then(accept, (error: unknown) => failed('handler-failed', error));
      } else {
        accept(answer);
      }
    } catch (error) {
      // Only a hostile value gets here (a `then` getter that throws): no answer can come of it.
      failed('handler-failed', error);
    }
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
