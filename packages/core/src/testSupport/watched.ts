import { Observable } from 'rxjs';

/** A source wrapped so a spec can see how often it was subscribed to and whether it was torn down. */
export interface Watched<T> {
  readonly source: Observable<T>;
  /** How many times `source` was subscribed to. */
  subscriptions(): number;
  /** True once a subscription to `source` was torn down. */
  unsubscribed(): boolean;
  /** Resolves when a subscription to `source` is torn down. */
  readonly teardown: Promise<void>;
}

export function watched<T>(inner: Observable<T>): Watched<T> {
  let subscriptions = 0;
  let unsubscribed = false;
  let signalTeardown!: () => void;
  const teardown = new Promise<void>((resolve) => (signalTeardown = resolve));
  return {
    source: new Observable<T>((subscriber) => {
      subscriptions++;
      const subscription = inner.subscribe(subscriber);
      return () => {
        subscription.unsubscribe();
        unsubscribed = true;
        signalTeardown();
      };
    }),
    subscriptions: () => subscriptions,
    unsubscribed: () => unsubscribed,
    teardown,
  };
}
