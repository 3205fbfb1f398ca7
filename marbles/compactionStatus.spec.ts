import { mergeMap, Observable, of, Subject, take, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { compactionStatus } from '../packages/operators/src/compactionStatus';
import type { EventLike } from '../packages/operators/src/events';
import { runEndless } from './synchronousSource';

const start: EventLike = { type: 'session.compaction_start', data: { trigger: 'threshold', currentTokens: 11698, tokenLimit: 128000 } };
const done: EventLike = { type: 'session.compaction_complete', data: { success: true, preCompactionTokens: 11698, postCompactionTokens: 5000 } };
const failed: EventLike = { type: 'session.compaction_complete', data: { success: false, error: 'model call failed' } };
const other: EventLike = { type: 'assistant.turn_end', data: { turnId: '0' } };
const values = { s: start, c: done, f: failed, a: other };

describe('compactionStatus', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('reports idle, compacting, idle with the result, and stuck when a compaction does not complete in time', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 =  hot('-a--s---c----s-----------', values);
      //                   |---!    |----!          the stuck clock of each compaction
      const e1subs =  '^------------------------';
      const expected = 'i---s---c----t----k------';
      const last = { success: true, preCompactionTokens: 11698, postCompactionTokens: 5000, durationMs: 4 };
      expectObservable(e1.pipe(compactionStatus({ stuckAfterMs: 5 }))).toBe(expected, {
        i: { state: 'idle' },
        s: { state: 'compacting', since: 4, trigger: 'threshold' },
        c: { state: 'idle', last },
        t: { state: 'compacting', since: 13, trigger: 'threshold', last },
        k: { state: 'stuck', since: 13, trigger: 'threshold', last },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('goes back to idle from stuck when the compaction finally completes, and keeps a failure', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-s--------f-|', values);
      const expected = 'is---k----f-|';
      expectObservable(e1.pipe(compactionStatus({ stuckAfterMs: 4 }))).toBe(expected, {
        i: { state: 'idle' },
        s: { state: 'compacting', since: 1, trigger: 'threshold' },
        k: { state: 'stuck', since: 1, trigger: 'threshold' },
        f: { state: 'idle', last: { success: false, error: 'model call failed', durationMs: 9 } },
      });
    });
  });

  it('restarts the clock at a second compaction_start', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-s--s-------|', values);
      const expected = 'is--t---k---|';
      expectObservable(e1.pipe(compactionStatus({ stuckAfterMs: 4 }))).toBe(expected, {
        i: { state: 'idle' },
        s: { state: 'compacting', since: 1, trigger: 'threshold' },
        t: { state: 'compacting', since: 4, trigger: 'threshold' },
        k: { state: 'stuck', since: 4, trigger: 'threshold' },
      });
    });
  });

  it('reports a completion whose start came before the subscription, without a duration', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-c-|', values);
      expectObservable(e1.pipe(compactionStatus())).toBe('ic-|', {
        i: { state: 'idle' },
        c: { state: 'idle', last: { success: true, preCompactionTokens: 11698, postCompactionTokens: 5000 } },
      });
    });
  });

  it('should emit only the initial idle with a never source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('-');
      expectObservable(e1.pipe(compactionStatus())).toBe('i', { i: { state: 'idle' } });
      expectSubscriptions(e1.subscriptions).toBe('^');
    });
  });

  it('should emit the initial idle and complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('|');
      expectObservable(e1.pipe(compactionStatus())).toBe('(i|)', { i: { state: 'idle' } });
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should complete, and cancel the stuck clock, when the source completes mid-compaction', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-s-|', values);
      const e1subs =  '^--!';
      expectObservable(e1.pipe(compactionStatus({ stuckAfterMs: 5 }))).toBe('is-|', { i: { state: 'idle' }, s: { state: 'compacting', since: 1, trigger: 'threshold' } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should propagate a source error', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-s-#', values);
      const e1subs =  '^--!';
      expectObservable(e1.pipe(compactionStatus({ stuckAfterMs: 5 }))).toBe('is-#', { i: { state: 'idle' }, s: { state: 'compacting', since: 1, trigger: 'threshold' } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep reporting with a never-ending source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-s-c-a-', values);
      const e1subs =  '^--------';
      expectObservable(e1.pipe(compactionStatus())).toBe('i--s-c---', {
        i: { state: 'idle' },
        s: { state: 'compacting', since: 3, trigger: 'threshold' },
        c: { state: 'idle', last: { success: true, preCompactionTokens: 11698, postCompactionTokens: 5000, durationMs: 2 } },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should cancel the stuck clock when unsubscribed early', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-s---------', values);
      const unsub =   '---!';
      const e1subs =  '^--!';
      expectObservable(e1.pipe(compactionStatus({ stuckAfterMs: 4 })), unsub).toBe('is--', { i: { state: 'idle' }, s: { state: 'compacting', since: 1, trigger: 'threshold' } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-s---------', values);
      const unsub =   '---!';
      const e1subs =  '^--!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        compactionStatus({ stuckAfterMs: 4 }),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe('is--', { i: { state: 'idle' }, s: { state: 'compacting', since: 1, trigger: 'threshold' } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('rejects a bad configuration with the bad value in the message', () => {
    expect(() => compactionStatus({ stuckAfterMs: 0 })).toThrow('compactionStatus stuckAfterMs must be a positive number of ms. Got 0');
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = compactionStatus({ stuckAfterMs: 10 });
      // prettier-ignore
      const e1 = cold('-s-c-|', values);
      const result = e1.pipe(operator);
      const last = { success: true, preCompactionTokens: 11698, postCompactionTokens: 5000, durationMs: 2 };
      // The second subscription starts idle although the first is compacting at that moment.
      expectObservable(result).toBe('is-c-|', { i: { state: 'idle' }, s: { state: 'compacting', since: 1, trigger: 'threshold' }, c: { state: 'idle', last } });
      expectObservable(result, '--^').toBe('--is-c-|', { i: { state: 'idle' }, s: { state: 'compacting', since: 3, trigger: 'threshold' }, c: { state: 'idle', last } });
    });
  });

  it('should error, and unsubscribe from the source, on an event that lacks the data of its type', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-s-b-s-|', { s: start, b: { type: 'session.compaction_complete' } as EventLike });
      const e1subs =  '^--!';
      expectObservable(e1.pipe(compactionStatus({ stuckAfterMs: 10 }))).toBe('is-#', { i: { state: 'idle' }, s: { state: 'compacting', since: 1, trigger: 'threshold' } }, expect.any(TypeError));
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const sideEffects: number[] = [];
    const synchronousObservable = new Observable<EventLike>((subscriber) => {
      // This checks whether the subscriber was closed on each loop: once `take` unsubscribes, it must be.
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next(start);
      }
    });
    // The initial idle is the first of the three values.
    synchronousObservable.pipe(compactionStatus({ stuckAfterMs: Infinity }), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless(() => start, compactionStatus({ scheduler: new VirtualTimeScheduler() }), 3);
    const compacting = { state: 'compacting', since: 0, trigger: 'threshold' };
    expect(run).toEqual({ pulled: 2, received: [{ state: 'idle' }, compacting, compacting], completed: true });
  });

  it('should leave no stuck clock behind when the consumer leaves on the compaction that started it', () => {
    const scheduler = new VirtualTimeScheduler();
    const received: unknown[] = [];
    // A live source: the teardown is in place before the event arrives.
    const events = new Subject<EventLike>();
    events.pipe(compactionStatus({ stuckAfterMs: 5, scheduler }), take(2)).subscribe((status) => received.push(status));
    events.next(start);
    expect(received).toEqual([{ state: 'idle' }, { state: 'compacting', since: 0, trigger: 'threshold' }]);
    expect(scheduler.actions).toEqual([]);
  });

  it('should not subscribe to an endless synchronous source when the initial idle is all that is taken', () => {
    const run = runEndless(() => start, compactionStatus({ scheduler: new VirtualTimeScheduler() }), 1);
    expect(run).toEqual({ pulled: 0, received: [{ state: 'idle' }], completed: true });
  });
});
