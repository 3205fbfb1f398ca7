import { Observable, type OperatorFunction, Subscriber, type TeardownLogic } from 'rxjs';

/**
 * Local equivalents of RxJS 7's internal `operate` and `createOperatorSubscriber`
 * (`rxjs/internal/util/lift` and `rxjs/internal/operators/OperatorSubscriber`), which are not public and
 * must never be imported.
 *
 * The hazard they exist for: an operator written as `new Observable((subscriber) => { const s =
 * source.subscribe({ next, error, complete }); return () => s.unsubscribe(); })` hands the source a
 * plain observer. The source wraps it in a subscriber of its own that nothing downstream knows about
 * until `source.subscribe` has returned. A synchronous source emits everything inside that call, so
 * when the consumer leaves early (`take(3)`) the source's subscriber is still open and the source
 * keeps going: an endless synchronous source never returns at all.
 *
 * `createOperatorSubscriber` makes the source's subscriber a child of the downstream subscriber
 * *before* `source.subscribe` is called (the `Subscriber` constructor adds itself to a destination
 * that is a `Subscription`), so the moment the consumer unsubscribes, the subscriber the source is
 * looping on reads `closed`. It relies on rxjs 7's public (v8-deprecated) `Subscriber` constructor;
 * `rxjs` is a peer dependency pinned to ^7.8, and RxJS 8 makes `operate` itself public. Both checks
 * this depends on (is the destination a `Subscription`, is the observer a `Subscriber`) fall back to
 * duck typing in RxJS, so the link holds when the source and this package load different copies of
 * rxjs (its ES module and CommonJS builds).
 */

/**
 * Builds an operator from `init`, which runs once per subscription (so state declared inside it is
 * never shared between two subscribers of one operator instance). `init` subscribes to `source`
 * with `createOperatorSubscriber(subscriber, ...)` and may return a teardown for its own resources
 * (timers, buffers); that teardown runs after the source has been unsubscribed, on complete, error
 * and unsubscribe alike. What `init` throws errors the result.
 */
export function operate<T, R>(init: (source: Observable<T>, subscriber: Subscriber<R>) => TeardownLogic): OperatorFunction<T, R> {
  return (source) => new Observable<R>((subscriber) => init(source, subscriber));
}

/** What an operator does with its source's notifications. A missing `error` or `complete` is forwarded downstream. */
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
      // Only the source side: an operator may keep emitting after its source has ended (smoothText's pace).
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
 * The subscriber an operator hands to `source.subscribe`: already a child of `downstream`, so
 * unsubscribing downstream closes it at once, even in the middle of a synchronous source's loop.
 */
export function createOperatorSubscriber<T>(downstream: Subscriber<unknown>, handlers: SourceHandlers<T>): Subscriber<T> {
  return new OperatorSubscriber(downstream, handlers);
}
