import { mergeMap, Observable, of, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { dedupeEvents } from '../packages/operators/src/dedupeEvents';
import type { EventLike } from '../packages/operators/src/events';
import { runEndless } from './synchronousSource';

const withId = (id: string): EventLike => ({ type: 'assistant.message_delta', id, data: { messageId: 'm1', deltaContent: id } });
const values: Record<string, EventLike> = { a: withId('a'), b: withId('b'), c: withId('c'), n: { type: 'host.note', data: {} } };

describe('dedupeEvents', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('drops events whose id was already seen', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 =  hot('-a-b-a-c-b-|', values);
      const e1subs =  '^----------!';
      const expected = '-a-b---c---|';
      expectObservable(e1.pipe(dedupeEvents())).toBe(expected, values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('passes events without an id', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-n-n-|', values);
      expectObservable(e1.pipe(dedupeEvents())).toBe('-n-n-|', values);
    });
  });

  it('forgets the oldest id once the window is full', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // With a window of 2: 'c' pushes 'a' out, so 'a' passes again and pushes 'b' out; 'c' is still remembered.
      // prettier-ignore
      const e1 = cold('-a-b-c-a-c-b-|', values);
      const expected = '-a-b-c-a---b-|';
      expectObservable(e1.pipe(dedupeEvents({ window: 2 }))).toBe(expected, values);
    });
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = dedupeEvents();
      // prettier-ignore
      const e1 = cold('-a-a-|', values);
      expectObservable(e1.pipe(operator)).toBe('-a---|', values);
      expectObservable(e1.pipe(operator)).toBe('-a---|', values);
    });
  });

  it('should not complete with a never source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('-');
      expectObservable(e1.pipe(dedupeEvents())).toBe('-');
      expectSubscriptions(e1.subscriptions).toBe('^');
    });
  });

  it('should complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('|');
      expectObservable(e1.pipe(dedupeEvents())).toBe('|');
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should emit a single event', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-|', values);
      const e1subs =  '^--!';
      expectObservable(e1.pipe(dedupeEvents())).toBe('-a-|', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should propagate a source error', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-a-#', values);
      const e1subs =  '^----!';
      expectObservable(e1.pipe(dedupeEvents())).toBe('-a---#', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep emitting with a never-ending source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-b-a-c-', values);
      const e1subs =  '^--------';
      expectObservable(e1.pipe(dedupeEvents())).toBe('-a-b---c-', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should allow unsubscribing early and explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--a--b--|', values);
      const unsub =   '-----!';
      const e1subs =  '^----!';
      expectObservable(e1.pipe(dedupeEvents()), unsub).toBe('-a----', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--a--b--|', values);
      const unsub =   '-----!';
      const e1subs =  '^----!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        dedupeEvents(),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe('-a----', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('rejects a bad window with the bad value in the message', () => {
    expect(() => dedupeEvents({ window: 0 })).toThrow('dedupeEvents window must be a positive integer. Got 0');
    expect(() => dedupeEvents({ window: 2.5 })).toThrow('Got 2.5');
  });

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const sideEffects: number[] = [];
    const synchronousObservable = new Observable<EventLike>((subscriber) => {
      // This checks whether the subscriber was closed on each loop: once `take` unsubscribes, it must be.
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next(withId(`e${i}`));
      }
    });
    synchronousObservable.pipe(dedupeEvents(), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1, 2]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless((i) => withId(`e${i}`), dedupeEvents(), 3);
    expect(run).toEqual({ pulled: 3, received: [withId('e0'), withId('e1'), withId('e2')], completed: true });
  });
});
