import { Observable, type OperatorFunction, take } from 'rxjs';

/**
 * How many values the "endless" source emits before it gives up. An operator that does not stop its
 * source on unsubscribe would otherwise spin forever inside one synchronous `subscribe` call, which
 * jest cannot time out; with the guard such a regression fails with a count far above `take(n)`.
 */
export const ENDLESS_GUARD = 10_000;

/** What one run of an operator over a synchronous source saw. */
export interface SynchronousRun<R> {
  /** How many values the source emitted: its side effect, counted before each `next`. */
  readonly pulled: number;
  /** What reached the consumer after the operator and `take(n)`. */
  readonly received: readonly R[];
  /** Whether the consumer saw the completion `take(n)` sends. */
  readonly completed: boolean;
  /** The error the consumer saw, if any (recorded, not thrown: RxJS would rethrow it on a timer). */
  readonly error?: unknown;
}

/**
 * RxJS's "should stop listening to a synchronous observable when unsubscribed", with no end: a source
 * that emits `valueAt(0)`, `valueAt(1)`, ... synchronously for as long as its subscriber is open (up
 * to `ENDLESS_GUARD`), piped through `operator` and `take(count)`. An operator that links its source
 * subscription to the downstream one stops the loop right after the value that satisfies `take`.
 */
export function runEndless<T, R>(valueAt: (index: number) => T, operator: OperatorFunction<T, R>, count: number): SynchronousRun<R> {
  let pulled = 0;
  const endless = new Observable<T>((subscriber) => {
    while (!subscriber.closed && pulled < ENDLESS_GUARD) {
      pulled++;
      subscriber.next(valueAt(pulled - 1));
    }
  });
  const received: R[] = [];
  let completed = false;
  let error: { readonly error?: unknown } = {};
  endless.pipe(operator, take(count)).subscribe({
    next: (value) => received.push(value),
    error: (err: unknown) => (error = { error: err }),
    complete: () => (completed = true),
  });
  return { pulled, received, completed, ...error };
}
