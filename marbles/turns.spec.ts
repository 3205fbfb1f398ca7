import { mergeAll, mergeMap, Observable, of, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { EventLike } from '../packages/operators/src/events';
import { turns } from '../packages/operators/src/turns';
import { runEndless } from './synchronousSource';

const ev = (type: string, data: Record<string, unknown> = {}, agentId?: string): EventLike => ({ type, ...(agentId === undefined ? {} : { agentId }), data });
const values: Record<string, EventLike> = {
  u: ev('user.message', { content: 'first', interactionId: 'i1' }),
  v: ev('user.message', { content: 'second', interactionId: 'i2' }),
  s: ev('user.message', { content: 'read the file' }, 'agent-1'),
  a: ev('assistant.turn_start', { turnId: '0' }),
  b: ev('assistant.message', { messageId: 'm1', content: 'Hi' }),
  c: ev('assistant.turn_end', { turnId: '0' }),
  i: ev('session.idle'),
  x: ev('pending_messages.modified'),
  y: ev('session.usage_info'),
};

describe('turns', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('opens a turn at each user message and ends it at the next one or at session.idle', () => {
    testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 =  hot('-x-u-a-b-v-c-i-y--|', values);
      const e1subs =  '^-----------------!';
      const expected = '---U-----V--------|';
      const U = cold('   u-a-b-|', values);
      const V = cold('         v-c-(i|)', values);
      expectObservable(e1.pipe(turns())).toBe(expected, { U, V });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('keeps a sub-agent\'s user message inside the current turn', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-u-s-b-i-|', values);
      const expected = '-U-------|';
      const U = cold(' u-s-b-(i|)', values);
      expectObservable(e1.pipe(turns())).toBe(expected, { U });
    });
  });

  it('emits a single turn for a single user message, completed with the source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-u-a-|', values);
      const e1subs =  '^----!';
      const expected = '-U---|';
      const U = cold(' u-a-|', values);
      expectObservable(e1.pipe(turns())).toBe(expected, { U });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('flattens back to the events of turns only', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-x-u-a-i-y-v-b-|', values);
      const expected = '---u-a-i---v-b-|';
      expectObservable(e1.pipe(turns(), mergeAll())).toBe(expected, values);
    });
  });

  it('should not complete with a never source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('-');
      expectObservable(e1.pipe(turns())).toBe('-');
      expectSubscriptions(e1.subscriptions).toBe('^');
    });
  });

  it('should complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('|');
      expectObservable(e1.pipe(turns())).toBe('|');
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should propagate a source error to the open turn and to the result', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-u-a-#', values);
      const e1subs =  '^----!';
      const expected = '-U---#';
      const U = cold(' u-a-#', values);
      expectObservable(e1.pipe(turns())).toBe(expected, { U });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep the turn open with a never-ending source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-u-a-b-', values);
      const e1subs =  '^------';
      const expected = '-U-----';
      const U = cold(' u-a-b-', values);
      expectObservable(e1.pipe(turns())).toBe(expected, { U });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should allow unsubscribing early and explicitly, stopping the open turn', () => {
    testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-u-a-b-c-|', values);
      const unsub =   '----!';
      const e1subs =  '^---!';
      const expected = '-U---';
      const U = cold(' u-a-', values);
      expectObservable(e1.pipe(turns()), unsub).toBe(expected, { U });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-u-a-b-c-|', values);
      const unsub =   '----!';
      const e1subs =  '^---!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        turns(),
        mergeMap((turn$) => turn$),
      );
      expectObservable(result, unsub).toBe('-u-a-', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = turns<EventLike>();
      // The second stream's events must not land in the first stream's open turn.
      // prettier-ignore
      const e1 = cold('-u-a-|', values);
      const e2 = cold('--b-c-|', values);
      const U = cold('  u-a-|', values);
      expectObservable(e1.pipe(operator)).toBe('-U---|', { U });
      expectObservable(e2.pipe(operator)).toBe('------|');
    });
  });

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const sideEffects: number[] = [];
    const synchronousObservable = new Observable<EventLike>((subscriber) => {
      // This checks whether the subscriber was closed on each loop: once `take` unsubscribes, it must be.
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next(values['u']!);
      }
    });
    synchronousObservable.pipe(turns(), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1, 2]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless(() => values['u']!, turns(), 3);
    expect(run).toEqual({ pulled: 3, received: [expect.any(Observable), expect.any(Observable), expect.any(Observable)], completed: true });
  });
});
