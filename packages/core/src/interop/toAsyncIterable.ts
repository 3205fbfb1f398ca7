import type { Observable, Subscription } from 'rxjs';
import { BufferOverflowError } from './BufferOverflowError.js';

export interface AsyncIterableConfig {
  /** Values held for a loop body that is slower than the Observable, before iteration fails. Default 1024. */
  readonly bufferSize?: number;
}

/**
 * An Observable as an async iterable, for `for await`.
 *
 * Each `for await` (each call of `[Symbol.asyncIterator]()`) subscribes once, on its first `next()`,
 * so a cold source like `session.send()` sends once per loop. Values arrive in order; completion ends
 * the loop; an error is thrown from the loop after the values before it.
 *
 * ```
 * source: --a--b--c--|
 * loop:     a  b  c  (done)
 * ```
 *
 * Bounded: values the loop has not taken yet wait in a buffer of `bufferSize`; one more fails the
 * iteration with a BufferOverflowError (thrown after the buffered values), rather than growing without
 * bound or dropping values. Teardown: leaving the loop early (`break`, `return`, a throw in the body)
 * calls the iterator's `return()`, which unsubscribes, and unsubscribing from `session.send()` aborts
 * the turn on the CLI.
 *
 * ## Example
 * ```ts
 * for await (const event of toAsyncIterable(session.send({ prompt }))) {
 *   if (event.type === 'assistant.message_delta') process.stdout.write(event.data.deltaContent);
 * }
 * ```
 *
 * @see toReadable
 * @param source The values; subscribed once per iteration.
 * @param config The buffer size.
 * @return An async iterable of the values.
 */
export function toAsyncIterable<T>(source: Observable<T>, config: AsyncIterableConfig = {}): AsyncIterable<T> {
  const { bufferSize = 1024 } = config;
  if (!(bufferSize >= 1)) throw new RangeError(`toAsyncIterable bufferSize must be at least 1. Got ${bufferSize}`);
  return { [Symbol.asyncIterator]: () => iterate(source, bufferSize) };
}

function iterate<T>(source: Observable<T>, bufferSize: number): AsyncIterableIterator<T> {
  const buffer: (T | undefined)[] = [];
  let head = 0;
  // The loop's pending `next()` while the buffer is empty.
  let waiter: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  let end: { readonly error?: unknown; readonly failed: boolean } | undefined;
  let finished = false;
  let subscription: Subscription | undefined;

  const done = (): IteratorResult<T> => ({ value: undefined, done: true });

  const stop = (): void => {
    finished = true;
    subscription?.unsubscribe();
    buffer.length = 0;
    head = 0;
  };

  const settleWaiter = (): void => {
    const pending = waiter;
    if (pending === undefined) return;
    waiter = undefined;
    const failure = end?.failed ? end : undefined;
    stop();
    if (failure) pending.reject(failure.error);
    else pending.resolve(done());
  };

  const subscribe = (): void => {
    subscription = source.subscribe({
      next: (value) => {
        if (end || finished) return;
        if (waiter) {
          const pending = waiter;
          waiter = undefined;
          pending.resolve({ value, done: false });
          return;
        }
        if (buffer.length - head >= bufferSize) {
          end = { failed: true, error: new BufferOverflowError('toAsyncIterable', bufferSize, 'values') };
          subscription?.unsubscribe();
          return;
        }
        buffer.push(value);
      },
      error: (error: unknown) => {
        end = { failed: true, error };
        settleWaiter();
      },
      complete: () => {
        end = { failed: false };
        settleWaiter();
      },
    });
    // The source overflowed while subscribing synchronously, before `subscription` was assigned.
    if (end?.failed) subscription.unsubscribe();
  };

  return {
    next(): Promise<IteratorResult<T>> {
      if (finished) return Promise.resolve(done());
      if (subscription === undefined) subscribe();
      if (head < buffer.length) {
        const value = buffer[head] as T;
        buffer[head++] = undefined;
        if (head === buffer.length) {
          buffer.length = 0;
          head = 0;
        }
        return Promise.resolve({ value, done: false });
      }
      if (end) {
        const { failed, error } = end;
        stop();
        return failed ? Promise.reject(error) : Promise.resolve(done());
      }
      return new Promise((resolve, reject) => (waiter = { resolve, reject }));
    },
    return(): Promise<IteratorResult<T>> {
      stop();
      const pending = waiter;
      waiter = undefined;
      pending?.resolve(done());
      return Promise.resolve(done());
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
