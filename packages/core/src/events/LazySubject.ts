import { Observable, Subject } from 'rxjs';

/**
 * A hot, multicast stream whose Subject is made on the first subscription: until someone subscribes,
 * pushing a value costs one check and holds no memory. Meant for the streams of many idle sessions.
 * It remembers how it ended, so a late subscriber gets the completion or the error at once (as a
 * Subject would), instead of waiting forever.
 */
export class LazySubject<T> {
  #subject: Subject<T> | undefined;
  #observable: Observable<T> | undefined;
  #ending: { readonly error: unknown } | 'completed' | undefined;

  /** The stream; made on first use. */
  get observable(): Observable<T> {
    return (this.#observable ??= new Observable<T>((subscriber) => {
      const ending = this.#ending;
      if (ending === 'completed') return subscriber.complete();
      if (ending) return subscriber.error(ending.error);
      return (this.#subject ??= new Subject<T>()).subscribe(subscriber);
    }));
  }

  next(value: T): void {
    if (this.#ending === undefined) this.#subject?.next(value);
  }

  complete(): void {
    if (this.#ending !== undefined) return;
    this.#ending = 'completed';
    this.#subject?.complete();
  }

  error(error: unknown): void {
    if (this.#ending !== undefined) return;
    this.#ending = { error };
    this.#subject?.error(error);
  }
}
