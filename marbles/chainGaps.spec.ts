import { mergeMap, Observable, of, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { chainGaps } from '../packages/operators/src/chainGaps';
import type { EventLike } from '../packages/operators/src/events';
import { runEndless } from './synchronousSource';

const persisted = (id: string, parentId: string | null, type = 'assistant.turn_end'): EventLike => ({ type, id, parentId, data: {} });
const ephemeral = (id: string, parentId: string): EventLike => ({ type: 'assistant.message_delta', id, parentId, ephemeral: true, data: {} });
const values: Record<string, EventLike> = {
  a: persisted('a', null, 'session.start'),
  b: persisted('b', 'a'),
  c: persisted('c', 'b'),
  e: persisted('e', 'd', 'assistant.message'),
  x: ephemeral('x', 'a'),
  y: ephemeral('y', 'zzz'),
  f: persisted('f', 'e'),
  g: persisted('g', 'b'),
};

describe('chainGaps', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('reports a persisted event whose parent is not the persisted event before it', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 =  hot('-a-b-c-e-f-|', values);
      const e1subs =  '^----------!';
      const expected = '-------g---|';
      expectObservable(e1.pipe(chainGaps())).toBe(expected, {
        g: { eventId: 'e', type: 'assistant.message', parentId: 'd', expectedParentId: 'c', parentSeen: false },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('says when the parent had been seen: out of order, or a fork', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-b-c-g-|', values);
      expectObservable(e1.pipe(chainGaps())).toBe('-------h-|', {
        h: { eventId: 'g', type: 'assistant.turn_end', parentId: 'b', expectedParentId: 'c', parentSeen: true },
      });
    });
  });

  it('skips ephemeral events, which never become parents', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-x-y-b-|', values);
      expectObservable(e1.pipe(chainGaps())).toBe('---------|');
    });
  });

  it('skips repeats of an id already seen', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-b-a-b-c-|', values);
      expectObservable(e1.pipe(chainGaps())).toBe('-----------|');
    });
  });

  it('starts the chain at the first persisted event, whatever its parent', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // Subscribed mid-session: c's parent b came before the subscription.
      // prettier-ignore
      const e1 = cold('-c-|', values);
      expectObservable(e1.pipe(chainGaps())).toBe('---|');
    });
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = chainGaps();
      // With one chain shared, e would break a's chain and b would break e's: two false gaps.
      // prettier-ignore
      const e1 = cold('-a-b-|', values);
      const e2 = cold('--e---|', values);
      expectObservable(e1.pipe(operator)).toBe('-----|');
      expectObservable(e2.pipe(operator)).toBe('------|');
    });
  });

  it('should not complete with a never source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('-');
      expectObservable(e1.pipe(chainGaps())).toBe('-');
      expectSubscriptions(e1.subscriptions).toBe('^');
    });
  });

  it('should complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('|');
      expectObservable(e1.pipe(chainGaps())).toBe('|');
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should propagate a source error after the gaps so far', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-c-e-#', values);
      const e1subs =  '^----!';
      expectObservable(e1.pipe(chainGaps())).toBe('---g-#', {
        g: { eventId: 'e', type: 'assistant.message', parentId: 'd', expectedParentId: 'c', parentSeen: false },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep reporting with a never-ending source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-c-e-', values);
      const e1subs =  '^----';
      expectObservable(e1.pipe(chainGaps())).toBe('---g-', {
        g: { eventId: 'e', type: 'assistant.message', parentId: 'd', expectedParentId: 'c', parentSeen: false },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should allow unsubscribing early and explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-c-e---g--|', values);
      const unsub =   '-----!';
      const e1subs =  '^----!';
      expectObservable(e1.pipe(chainGaps()), unsub).toBe('---g--', {
        g: { eventId: 'e', type: 'assistant.message', parentId: 'd', expectedParentId: 'c', parentSeen: false },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-c-e---g--|', values);
      const unsub =   '-----!';
      const e1subs =  '^----!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        chainGaps(),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe('---g--', {
        g: { eventId: 'e', type: 'assistant.message', parentId: 'd', expectedParentId: 'c', parentSeen: false },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const sideEffects: number[] = [];
    const synchronousObservable = new Observable<EventLike>((subscriber) => {
      // This checks whether the subscriber was closed on each loop: once `take` unsubscribes, it must be.
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next(persisted(`e${i}`, 'lost'));
      }
    });
    // The first persisted event starts the chain; every later one is a gap.
    synchronousObservable.pipe(chainGaps(), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1, 2, 3]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless((i) => persisted(`e${i}`, 'lost'), chainGaps(), 3);
    const gap = (i: number) => ({ eventId: `e${i}`, type: 'assistant.turn_end', parentId: 'lost', expectedParentId: `e${i - 1}`, parentSeen: false });
    expect(run).toEqual({ pulled: 4, received: [gap(1), gap(2), gap(3)], completed: true });
  });
});
