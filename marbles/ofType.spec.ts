import { map, mergeMap, Observable, of, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ofType } from '../packages/core/src/ofType';
import type { EventLike } from '../packages/operators/src/events';
import { runEndless } from './synchronousSource';

type Delta = { readonly type: 'assistant.message_delta'; readonly data: { readonly deltaContent: string } };
type Message = { readonly type: 'assistant.message'; readonly data: { readonly content: string } };
type Idle = { readonly type: 'session.idle'; readonly data: { readonly aborted?: boolean } };
type Unknown = { readonly type: 'unknown'; readonly data: { readonly rawType: string } };
type Event = Delta | Message | Idle | Unknown;

const a: Event = { type: 'assistant.message_delta', data: { deltaContent: 'He' } };
const m: Event = { type: 'assistant.message', data: { content: 'Hello' } };
const i: Event = { type: 'session.idle', data: {} };
const u: Event = { type: 'unknown', data: { rawType: 'model.call_start' } };
const values = { a, m, i, u };

// Compile-time checks (npm run typecheck): the result type is exactly the union members asked for.
type Equals<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
const narrowed = (source: Observable<Event>) => source.pipe(ofType('assistant.message_delta', 'assistant.message'));
const exact: Equals<ReturnType<typeof narrowed>, Observable<Delta | Message>> = true;
const structural = (source: Observable<EventLike>) => source.pipe(ofType('assistant.message'), map((e) => e.type));
const literal: Equals<ReturnType<typeof structural>, Observable<'assistant.message'>> = true;
// @ts-expect-error: a type that is not in the union is rejected.
const typo = (source: Observable<Event>) => source.pipe(ofType('assistant.mesage'));
void [exact, literal, typo];

describe('ofType', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('keeps the events of the given types and drops the others', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 =  hot('--a--u--m--i--|', values);
      const e1subs =  '^-------------!';
      const expected = '--a-----m-----|';
      expectObservable(e1.pipe(ofType('assistant.message_delta', 'assistant.message'))).toBe(expected, values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('emits a single matching event', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('--i--|', values);
      const e1subs =  '^----!';
      expectObservable(e1.pipe(ofType('session.idle'))).toBe('--i--|', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('lets unknown wire types through only when asked for by their catch-all type', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-u-|', values);
      expectObservable(e1.pipe(ofType('unknown'))).toBe('---u-|', values);
    });
  });

  it('should not complete with a never source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<Event>('-');
      expectObservable(e1.pipe(ofType('session.idle'))).toBe('-');
      expectSubscriptions(e1.subscriptions).toBe('^');
    });
  });

  it('should complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<Event>('|');
      expectObservable(e1.pipe(ofType('session.idle'))).toBe('|');
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should propagate a source error', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-i-#', values);
      const e1subs =  '^----!';
      expectObservable(e1.pipe(ofType('session.idle'))).toBe('---i-#', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep emitting with a never-ending source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-m-a-', values);
      const e1subs =  '^------';
      expectObservable(e1.pipe(ofType('assistant.message_delta'))).toBe('-a---a-', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should allow unsubscribing early and explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--m--a--|', values);
      const unsub =   '-----!';
      const e1subs =  '^----!';
      expectObservable(e1.pipe(ofType('assistant.message_delta')), unsub).toBe('-a----', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--m--a--|', values);
      const unsub =   '-----!';
      const e1subs =  '^----!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        ofType('assistant.message'),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe('----m-', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = ofType<Event, 'session.idle'>('session.idle');
      // prettier-ignore
      const e1 = cold('-a-i-|', values);
      const e2 = cold('--i-a-i-|', values);
      expectObservable(e1.pipe(operator)).toBe('---i-|', values);
      expectObservable(e2.pipe(operator)).toBe('--i---i-|', values);
    });
  });

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const sideEffects: number[] = [];
    const synchronousObservable = new Observable<Event>((subscriber) => {
      // This checks whether the subscriber was closed on each loop: once `take` unsubscribes, it must be.
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next(a);
      }
    });
    synchronousObservable.pipe(ofType('assistant.message_delta'), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1, 2]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless((): Event => a, ofType('assistant.message_delta'), 3);
    expect(run).toEqual({ pulled: 3, received: [a, a, a], completed: true });
  });
});
