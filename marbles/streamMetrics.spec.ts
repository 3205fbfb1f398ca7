import { mergeMap, Observable, of, take, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { EventLike } from '../packages/operators/src/events';
import { streamMetrics } from '../packages/operators/src/streamMetrics';
import { loadTokenizer } from '../packages/operators/src/tokenTally';
import { runEndless } from './synchronousSource';

const tokens = (text: string): number => loadTokenizer('o200k_base').count(text);
const ev = (type: string, data: Record<string, unknown> = {}, agentId?: string): EventLike => ({ type, ...(agentId === undefined ? {} : { agentId }), data });
const turnStart = (turnId: string) => ev('assistant.turn_start', { turnId });
const delta = (deltaContent: string, agentId?: string) => ev('assistant.message_delta', { messageId: 'm1', deltaContent }, agentId);
const usage = (timeToFirstTokenMs: number) => ev('assistant.usage', { model: 'gpt-5', timeToFirstTokenMs });

// Three texts of one token each (checked below), so the rates are easy to follow.
const [A, B, C] = ['Hello', ' world', ' again'];

describe('streamMetrics', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('uses one-token texts', () => {
    expect([tokens(A), tokens(B), tokens(C)]).toEqual([1, 1, 1]);
  });

  it('measures time to first token, gaps and tokens per second, next to the server\'s time to first token', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const values = { t: turnStart('0'), a: delta(A), b: delta(B), c: delta(C), u: usage(3) };
      // prettier-ignore
      const e1 =  hot('-t---a-b-----c---u-|', values);
      const e1subs =  '^------------------!';
      const expected = '-w---x-y-----z---v-|';
      const z = { turnId: '0', timeToFirstTokenMs: 4, deltas: 3, outputTokens: 3, tokensPerSecond: 250, lastGapMs: 6, maxGapMs: 6 };
      expectObservable(e1.pipe(streamMetrics())).toBe(expected, {
        w: { turnId: '0', deltas: 0, outputTokens: 0 },
        x: { turnId: '0', timeToFirstTokenMs: 4, deltas: 1, outputTokens: 1, tokensPerSecond: undefined },
        y: { turnId: '0', timeToFirstTokenMs: 4, deltas: 2, outputTokens: 2, tokensPerSecond: 500, lastGapMs: 2, maxGapMs: 2 },
        z,
        v: { ...z, serverTimeToFirstTokenMs: 3 },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('counts only the tokens of the last windowMs once the window has slid past the first delta', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { t: turnStart('0'), a: delta(A), b: delta(B), c: delta(C) };
      // prettier-ignore
      const e1 = cold('-ta-b-------c-|', values);
      //               (---)   (---)         the 5-frame windows ending at b and at c
      const expected = '-xy-z-------w-|';
      expectObservable(e1.pipe(streamMetrics({ windowMs: 5 }))).toBe(expected, {
        x: { turnId: '0', deltas: 0, outputTokens: 0 },
        y: { turnId: '0', timeToFirstTokenMs: 1, deltas: 1, outputTokens: 1, tokensPerSecond: undefined },
        z: { turnId: '0', timeToFirstTokenMs: 1, deltas: 2, outputTokens: 2, tokensPerSecond: 500, lastGapMs: 2, maxGapMs: 2 },
        // Only c is within the last 5 frames: 1 token / 5 ms.
        w: { turnId: '0', timeToFirstTokenMs: 1, deltas: 3, outputTokens: 3, tokensPerSecond: 200, lastGapMs: 8, maxGapMs: 8 },
      });
    });
  });

  it('resets at each model call, and counts reasoning and tool-argument deltas as output', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = {
        t: turnStart('0'),
        a: delta(A),
        u: turnStart('1'),
        r: ev('assistant.reasoning_delta', { reasoningId: 'r1', deltaContent: A }),
        k: ev('assistant.tool_call_delta', { toolCallId: 't1', inputDelta: B }),
      };
      // prettier-ignore
      const e1 = cold('-t-a-u--r-k-|', values);
      const expected = '-w-x-y--z-v-|';
      expectObservable(e1.pipe(streamMetrics())).toBe(expected, {
        w: { turnId: '0', deltas: 0, outputTokens: 0 },
        x: { turnId: '0', timeToFirstTokenMs: 2, deltas: 1, outputTokens: 1 },
        y: { turnId: '1', deltas: 0, outputTokens: 0 },
        z: { turnId: '1', timeToFirstTokenMs: 3, deltas: 1, outputTokens: 1 },
        v: { turnId: '1', timeToFirstTokenMs: 3, deltas: 2, outputTokens: 2, tokensPerSecond: 500, lastGapMs: 2, maxGapMs: 2 },
      });
    });
  });

  it('ignores sub-agents, whose calls run alongside the main agent\'s', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-b-|', { a: delta(A, 'agent-1'), b: { ...turnStart('0'), agentId: 'agent-1' } });
      expectObservable(e1.pipe(streamMetrics())).toBe('-----|');
    });
  });

  it('has no time to first token when the call started before the subscription', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-|', { a: delta(A) });
      expectObservable(e1.pipe(streamMetrics())).toBe('-x-|', { x: { deltas: 1, outputTokens: 1 } });
    });
  });

  it('should not complete with a never source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('-');
      expectObservable(e1.pipe(streamMetrics())).toBe('-');
      expectSubscriptions(e1.subscriptions).toBe('^');
    });
  });

  it('should complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('|');
      expectObservable(e1.pipe(streamMetrics())).toBe('|');
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should propagate a source error', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-t-#', { t: turnStart('0') });
      const e1subs =  '^--!';
      expectObservable(e1.pipe(streamMetrics())).toBe('-x-#', { x: { turnId: '0', deltas: 0, outputTokens: 0 } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep emitting with a never-ending source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-t-a-', { t: turnStart('0'), a: delta(A) });
      const e1subs =  '^----';
      expectObservable(e1.pipe(streamMetrics())).toBe('-x-y-', {
        x: { turnId: '0', deltas: 0, outputTokens: 0 },
        y: { turnId: '0', timeToFirstTokenMs: 2, deltas: 1, outputTokens: 1 },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should allow unsubscribing early and explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-t--a--b--|', { t: turnStart('0'), a: delta(A), b: delta(B) });
      const unsub =   '-----!';
      const e1subs =  '^----!';
      expectObservable(e1.pipe(streamMetrics()), unsub).toBe('-x--y-', {
        x: { turnId: '0', deltas: 0, outputTokens: 0 },
        y: { turnId: '0', timeToFirstTokenMs: 3, deltas: 1, outputTokens: 1 },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-t--a--b--|', { t: turnStart('0'), a: delta(A), b: delta(B) });
      const unsub =   '-----!';
      const e1subs =  '^----!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        streamMetrics(),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe('-x--y-', {
        x: { turnId: '0', deltas: 0, outputTokens: 0 },
        y: { turnId: '0', timeToFirstTokenMs: 3, deltas: 1, outputTokens: 1 },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('rejects a bad configuration with the bad value in the message', () => {
    expect(() => streamMetrics({ windowMs: 0 })).toThrow('streamMetrics windowMs must be a positive, finite number of ms. Got 0');
    expect(() => streamMetrics({ encoding: 'gpt2' as 'o200k_base' })).toThrow('streamMetrics encoding must be o200k_base or cl100k_base. Got gpt2');
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = streamMetrics();
      // prettier-ignore
      const e1 = cold('-t---a-|', { t: turnStart('0'), a: delta(A) });
      const result = e1.pipe(operator);
      // The second subscription's call starts inside the first one's: each counts only its own delta.
      const metrics = { w: { turnId: '0', deltas: 0, outputTokens: 0 }, x: { turnId: '0', timeToFirstTokenMs: 4, deltas: 1, outputTokens: 1, tokensPerSecond: undefined } };
      expectObservable(result).toBe('-w---x-|', metrics);
      expectObservable(result, '-^').toBe('--w---x-|', metrics);
    });
  });

  it('should error, and unsubscribe from the source, on an event that lacks the data of its type', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-t-b-a-|', { t: turnStart('0'), b: { type: 'assistant.message_delta' } as EventLike, a: delta(A) });
      const e1subs =  '^--!';
      expectObservable(e1.pipe(streamMetrics())).toBe('-w-#', { w: { turnId: '0', deltas: 0, outputTokens: 0 } }, expect.any(TypeError));
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const sideEffects: number[] = [];
    const synchronousObservable = new Observable<EventLike>((subscriber) => {
      // This checks whether the subscriber was closed on each loop: once `take` unsubscribes, it must be.
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next(delta(A));
      }
    });
    synchronousObservable.pipe(streamMetrics(), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1, 2]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless(() => delta(A), streamMetrics({ scheduler: new VirtualTimeScheduler() }), 3);
    expect(run).toMatchObject({ pulled: 3, received: [{ deltas: 1 }, { deltas: 2 }, { deltas: 3 }], completed: true });
  });
});
