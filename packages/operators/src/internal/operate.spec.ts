import { Observable, Subject, take } from 'rxjs';
import { createOperatorSubscriber, operate } from './operate';

/** A synchronous source that emits 0, 1, 2, ... while its subscriber is open, up to `limit`, and records how far it got. */
function counting(limit: number): { readonly source: Observable<number>; readonly pulled: () => number; readonly closedAtEnd: () => boolean } {
  let pulled = 0;
  let closedAtEnd = false;
  const source = new Observable<number>((subscriber) => {
    while (!subscriber.closed && pulled < limit) subscriber.next(pulled++);
    closedAtEnd = subscriber.closed;
  });
  return { source, pulled: () => pulled, closedAtEnd: () => closedAtEnd };
}

/** The smallest operator: passes values on through its handler. */
const passThrough = <T>() => operate<T, T>((source, subscriber) => source.subscribe(createOperatorSubscriber(subscriber, { next: (value) => subscriber.next(value) })));

describe('operate and createOperatorSubscriber', () => {
  it('close the source\'s subscriber as soon as the consumer leaves, inside a synchronous burst', () => {
    const { source, pulled, closedAtEnd } = counting(1000);
    const received: number[] = [];
    source.pipe(passThrough(), take(3)).subscribe((value) => received.push(value));
    expect(received).toEqual([0, 1, 2]);
    expect(pulled()).toBe(3);
    expect(closedAtEnd()).toBe(true);
  });

  it('run init once per subscription, so state declared in it is never shared', () => {
    let inits = 0;
    const counter = operate<string, number>((source, subscriber) => {
      inits++;
      let count = 0;
      source.subscribe(createOperatorSubscriber(subscriber, { next: () => subscriber.next(++count) }));
    });
    const letters = new Subject<string>();
    const counted = letters.pipe(counter);
    const first: number[] = [];
    const second: number[] = [];
    counted.subscribe((n) => first.push(n));
    letters.next('a');
    counted.subscribe((n) => second.push(n));
    letters.next('b');
    expect(inits).toBe(2);
    expect(first).toEqual([1, 2]);
    expect(second).toEqual([1]);
  });

  it('turn a throwing next handler into an error of the result, and unsubscribe the source', () => {
    const source = new Subject<number>();
    const failure = new Error('bad value');
    const errors: unknown[] = [];
    source
      .pipe(
        operate<number, number>((from, subscriber) =>
          from.subscribe(
            createOperatorSubscriber(subscriber, {
              next: () => {
                throw failure;
              },
            }),
          ),
        ),
      )
      .subscribe({ error: (err: unknown) => errors.push(err) });
    source.next(1);
    expect(errors).toEqual([failure]);
    expect(source.observed).toBe(false);
  });

  it('forward error and complete when no handler is given', () => {
    const failure = new Error('source failed');
    const seen: string[] = [];
    new Observable<number>((subscriber) => subscriber.error(failure)).pipe(passThrough()).subscribe({ error: (err: unknown) => seen.push(`error ${(err as Error).message}`) });
    new Observable<number>((subscriber) => subscriber.complete()).pipe(passThrough()).subscribe({ complete: () => seen.push('complete') });
    expect(seen).toEqual(['error source failed', 'complete']);
  });

  it('unsubscribe only the source when it completes, so the result may go on emitting', () => {
    const source = new Subject<number>();
    const later = new Subject<number>();
    const received: number[] = [];
    let completed = false;
    source
      .pipe(
        operate<number, number>((from, subscriber) => {
          from.subscribe(createOperatorSubscriber(subscriber, { next: (value) => subscriber.next(value), complete: () => later.subscribe(subscriber) }));
        }),
      )
      .subscribe({ next: (value) => received.push(value), complete: () => (completed = true) });
    source.next(1);
    source.complete();
    expect(source.observed).toBe(false);
    later.next(2);
    later.complete();
    expect(received).toEqual([1, 2]);
    expect(completed).toBe(true);
  });

  it.each(['unsubscribe', 'error', 'complete'] as const)('run the teardown init returns after the source is unsubscribed, on %s', (ending) => {
    const order: string[] = [];
    const source = new Subject<number>();
    const withTeardown = operate<number, number>((from, subscriber) => {
      const inner = createOperatorSubscriber<number>(subscriber, { next: (value) => subscriber.next(value) });
      inner.add(() => order.push('source subscriber closed'));
      from.subscribe(inner);
      return () => order.push(`teardown, source observed: ${String(source.observed)}`);
    });
    const subscription = source.pipe(withTeardown).subscribe({ error: () => undefined });
    if (ending === 'unsubscribe') subscription.unsubscribe();
    else if (ending === 'error') source.error(new Error('failed'));
    else source.complete();
    expect(order).toEqual(['source subscriber closed', 'teardown, source observed: false']);
  });

  it('error the result when init throws', () => {
    const failure = new Error('bad config');
    const errors: unknown[] = [];
    new Subject<number>()
      .pipe(
        operate<number, number>(() => {
          throw failure;
        }),
      )
      .subscribe({ error: (err: unknown) => errors.push(err) });
    expect(errors).toEqual([failure]);
  });
});
