import { Subscriber } from 'rxjs';

/**
 * Core's own `createOperatorSubscriber` (the same as packages/operators' `internal/operate.ts`, which
 * core cannot load: operators depends on core, not the other way round; both stand in for RxJS 7's
 * internal one, which must never be imported).
 *
 * The hazard: `new Observable((subscriber) => source.subscribe({ next, error, complete }))` hands the
 * source a plain observer, which the source wraps in a subscriber that nothing downstream knows about
 * until `source.subscribe` has returned. A source that emits synchronously inside that call (a
 * replayed history, released waiting events) keeps emitting to it after the consumer has left, and
 * code after the `subscribe` call cannot tell the consumer is gone. The subscriber made here is a
 * child of the downstream one *before* the source can emit (the `Subscriber` constructor adds itself
 * to a destination that is a Subscription), so it reads `closed` the moment the consumer unsubscribes.
 */

/** What the owner does with its source's notifications. A missing `error` or `complete` is forwarded downstream. */
export interface SourceHandlers<T> {
  readonly next: (value: T) => void;
  readonly error?: (err: unknown) => void;
  readonly complete?: () => void;
}

class OperatorSubscriber<T> extends Subscriber<T> {
  constructor(
    private readonly downstream: Subscriber<unknown>,
    private readonly handlers: SourceHandlers<T>,
  ) {
    // Links this subscriber to `downstream` now, before the source can emit: see the hazard above.
    super(downstream);
  }

  // A handler that throws errors the result (which unsubscribes the source) instead of escaping into
  // the source's emitting code, where RxJS would only report it on a timer.
  protected override _next(value: T): void {
    try {
      this.handlers.next(value);
    } catch (err) {
      this.downstream.error(err);
    }
  }

  protected override _error(err: unknown): void {
    try {
      if (this.handlers.error === undefined) this.downstream.error(err);
      else this.handlers.error(err);
    } catch (thrown) {
      this.downstream.error(thrown);
    } finally {
      this.unsubscribe();
    }
  }

  protected override _complete(): void {
    try {
      if (this.handlers.complete === undefined) this.downstream.complete();
      else this.handlers.complete();
    } catch (thrown) {
      this.downstream.error(thrown);
    } finally {
      this.unsubscribe();
    }
  }
}

/**
 * The subscriber to hand to `source.subscribe` inside `new Observable`: already a child of
 * `downstream`, so unsubscribing downstream closes it at once, even in the middle of a synchronous burst.
 */
export function createOperatorSubscriber<T>(downstream: Subscriber<unknown>, handlers: SourceHandlers<T>): Subscriber<T> {
  return new OperatorSubscriber(downstream, handlers);
}
