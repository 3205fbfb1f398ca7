import { mergeMap, Observable, of, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { EventLike } from '../packages/operators/src/events';
import { untilIdle } from '../packages/operators/src/untilIdle';
import { runEndless } from './synchronousSource';

const values: Record<string, EventLike> = {
  a: { type: 'assistant.message_delta', data: { messageId: 'm1', deltaContent: 'Hi' } },
  b: { type: 'assistant.idle', data: {} },
  i: { type: 'session.idle', data: { aborted: false } },
  c: { type: 'session.usage_info', data: {} },
};

describe('untilIdle', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('emits up to and including session.idle, then completes and unsubscribes', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 =  hot('-a-b-i-c-|', values);
      const e1subs =  '^----!';
      const expected = '-a-b-(i|)';
      expectObservable(e1.pipe(untilIdle())).toBe(expected, values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('does not stop at assistant.idle: background agents may still run', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-b-a-i-|', values);
      expectObservable(e1.pipe(untilIdle())).toBe('-b-a-(i|)', values);
    });
  });

  it('completes at once when the first event is session.idle', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-i-a-|', values);
      const e1subs =  '^!';
      expectObservable(e1.pipe(untilIdle())).toBe('-(i|)', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not complete with a never source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('-');
      expectObservable(e1.pipe(untilIdle())).toBe('-');
      expectSubscriptions(e1.subscriptions).toBe('^');
    });
  });

  it('should complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('|');
      expectObservable(e1.pipe(untilIdle())).toBe('|');
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should complete with the source when no idle came', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-c-|', values);
      const e1subs =  '^----!';
      expectObservable(e1.pipe(untilIdle())).toBe('-a-c-|', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should propagate a source error', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-#', values);
      const e1subs =  '^--!';
      expectObservable(e1.pipe(untilIdle())).toBe('-a-#', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep emitting with a never-ending source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-b-c-', values);
      const e1subs =  '^------';
      expectObservable(e1.pipe(untilIdle())).toBe('-a-b-c-', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should allow unsubscribing early and explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--b--i--|', values);
      const unsub =   '-----!';
      const e1subs =  '^----!';
      expectObservable(e1.pipe(untilIdle()), unsub).toBe('-a--b-', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--b--i--|', values);
      const unsub =   '-----!';
      const e1subs =  '^----!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        untilIdle(),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe('-a--b-', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = untilIdle<EventLike>();
      // prettier-ignore
      const e1 = cold('-a-i-c-|', values);
      const result = e1.pipe(operator);
      expectObservable(result).toBe('-a-(i|)', values);
      expectObservable(result, '--^').toBe('---a-(i|)', values);
    });
  });

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const sideEffects: number[] = [];
    const synchronousObservable = new Observable<EventLike>((subscriber) => {
      // This checks whether the subscriber was closed on each loop: once `take` unsubscribes, it must be.
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next(values['a']!);
      }
    });
    synchronousObservable.pipe(untilIdle(), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1, 2]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless(() => values['a']!, untilIdle(), 3);
    expect(run).toEqual({ pulled: 3, received: [values['a'], values['a'], values['a']], completed: true });
  });
});
