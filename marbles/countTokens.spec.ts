import { mergeMap, Observable, of, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { countTokens } from '../packages/operators/src/countTokens';
import type { EventLike } from '../packages/operators/src/events';
import { loadTokenizer } from '../packages/operators/src/tokenTally';
import { runEndless } from './synchronousSource';

// Expected estimates come from the real tokenizer counting the whole text at once: the operator
// counts incrementally, delta by delta, and must agree with it.
const o200k = loadTokenizer('o200k_base');
const tokens = (text: string): number => o200k.count(text);

const delta = (messageId: string, deltaContent: string, agentId?: string): EventLike => ({
  type: 'assistant.message_delta',
  ...(agentId === undefined ? {} : { agentId }),
  data: { messageId, deltaContent },
});
const reasoningDelta = (reasoningId: string, deltaContent: string): EventLike => ({ type: 'assistant.reasoning_delta', data: { reasoningId, deltaContent } });
const toolDelta = (toolCallId: string, inputDelta: string): EventLike => ({ type: 'assistant.tool_call_delta', data: { toolCallId, inputDelta, toolName: 'view' } });
const usage = (data: Record<string, unknown>, agentId?: string): EventLike => ({
  type: 'assistant.usage',
  ...(agentId === undefined ? {} : { agentId }),
  data: { model: 'gpt-5', ...data },
});
const exactOf = (outputTokens: number, more: Partial<Record<'inputTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'cost', number>> = {}) => ({
  inputTokens: 0,
  outputTokens,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cost: 0,
  ...more,
});

describe('countTokens', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('estimates output tokens from the deltas and snaps to the exact figures of assistant.usage', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const values = {
        a: delta('m1', 'Hello, wor'),
        b: delta('m1', 'ld! How are you?'),
        u: usage({ outputTokens: 9, inputTokens: 120, cacheReadTokens: 100, cacheWriteTokens: 5, cost: 1 }),
        c: delta('m2', 'Fine.'),
      };
      // prettier-ignore
      const e1 =  hot('-a---b---u---c-|', values);
      const e1subs =  '^--------------!';
      const expected = '-w---x---y---z-|';
      expectObservable(e1.pipe(countTokens())).toBe(expected, {
        w: { estimatedOutputTokens: tokens('Hello, wor') },
        x: { estimatedOutputTokens: tokens('Hello, world! How are you?') },
        y: { estimatedOutputTokens: 9, exact: exactOf(9, { inputTokens: 120, cacheReadTokens: 100, cacheWriteTokens: 5, cost: 1 }) },
        z: { estimatedOutputTokens: 9 + tokens('Fine.'), exact: exactOf(9, { inputTokens: 120, cacheReadTokens: 100, cacheWriteTokens: 5, cost: 1 }) },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('counts a token split across two deltas once, like the whole text', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-b-c-d-|', { a: delta('m1', 'I don'), b: delta('m1', "'t kn"), c: delta('m1', 'ow 12'), d: delta('m1', '345') });
      const expected = '-w-x-y-z-|';
      expectObservable(e1.pipe(countTokens())).toBe(expected, {
        w: { estimatedOutputTokens: tokens('I don') },
        x: { estimatedOutputTokens: tokens("I don't kn") },
        y: { estimatedOutputTokens: tokens("I don't know 12") },
        z: { estimatedOutputTokens: tokens("I don't know 12345") },
      });
    });
  });

  it('counts message, reasoning and tool-argument deltas as separate interleaved streams', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { r: reasoningDelta('r1', 'Let me think'), a: delta('m1', 'Reading'), t: toolDelta('t1', '{"path":'), b: delta('m1', ' the file'), s: toolDelta('t1', '"/a.txt"}') };
      // prettier-ignore
      const e1 = cold('-r-a-t-b-s-|', values);
      const expected = '-v-w-x-y-z-|';
      const r = tokens('Let me think');
      expectObservable(e1.pipe(countTokens())).toBe(expected, {
        v: { estimatedOutputTokens: r },
        w: { estimatedOutputTokens: r + tokens('Reading') },
        x: { estimatedOutputTokens: r + tokens('Reading') + tokens('{"path":') },
        y: { estimatedOutputTokens: r + tokens('Reading the file') + tokens('{"path":') },
        z: { estimatedOutputTokens: r + tokens('Reading the file') + tokens('{"path":"/a.txt"}') },
      });
    });
  });

  it('sums the exact figures over calls, and keeps the estimate when a usage has no outputTokens', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: delta('m1', 'One two'), u: usage({ inputTokens: 50 }), b: delta('m2', 'three'), v: usage({ outputTokens: 4, inputTokens: 70, cost: 1 }) };
      // prettier-ignore
      const e1 = cold('-a-u-b-v-|', values);
      const expected = '-w-x-y-z-|';
      const first = tokens('One two');
      expectObservable(e1.pipe(countTokens())).toBe(expected, {
        w: { estimatedOutputTokens: first },
        x: { estimatedOutputTokens: first, exact: exactOf(0, { inputTokens: 50 }) },
        y: { estimatedOutputTokens: first + tokens('three'), exact: exactOf(0, { inputTokens: 50 }) },
        z: { estimatedOutputTokens: first + 4, exact: exactOf(4, { inputTokens: 120, cost: 1 }) },
      });
    });
  });

  it('keeps the text of a failed attempt in the estimate when the retry reports usage', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // The first attempt is cut after 'Hello'; the retry re-streams under m2 and reports 3 tokens.
      const values = { a: delta('m1', 'Hello'), f: { type: 'model.call_failure', data: { statusCode: 500 } }, b: delta('m2', 'Hello there'), u: usage({ outputTokens: 3 }) };
      // prettier-ignore
      const e1 = cold('-a-f-b-u-|', values);
      const expected = '-w---x-y-|';
      expectObservable(e1.pipe(countTokens())).toBe(expected, {
        w: { estimatedOutputTokens: tokens('Hello') },
        x: { estimatedOutputTokens: tokens('Hello') + tokens('Hello there') },
        y: { estimatedOutputTokens: tokens('Hello') + 3, exact: exactOf(3) },
      });
    });
  });

  it('emits only when the count changes', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-b-c-|', { a: delta('m1', 'Hi'), b: delta('m1', ''), c: { type: 'assistant.turn_end', data: { turnId: '0' } } });
      expectObservable(e1.pipe(countTokens())).toBe('-x-----|', { x: { estimatedOutputTokens: tokens('Hi') } });
    });
  });

  it('counts only the main agent by default, and sub-agents too with agents: all', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: delta('m1', 'main text'), b: delta('s1', 'sub text', 'agent-1'), u: usage({ outputTokens: 2 }, 'agent-1') };
      // prettier-ignore
      const e1 = cold('-a-b-u-|', values);
      const main = tokens('main text');
      expectObservable(e1.pipe(countTokens())).toBe('-x-----|', { x: { estimatedOutputTokens: main } });
      expectObservable(e1.pipe(countTokens({ agents: 'all' }))).toBe('-x-y-z-|', {
        x: { estimatedOutputTokens: main },
        y: { estimatedOutputTokens: main + tokens('sub text') },
        z: { estimatedOutputTokens: main + 2, exact: exactOf(2) },
      });
    });
  });

  it('throttles to the first and last value of each window with throttleMs', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: delta('m1', 'one'), b: delta('m1', ' two'), c: delta('m1', ' three'), d: delta('m1', ' four') };
      // prettier-ignore
      const e1 = cold('-a-b-c-----d-|', values);
      //               -|----!           window opened by a's count (leading)
      //                     |----!      window opened by the trailing count; d comes after it
      const expected = '-x----y----z-|';
      expectObservable(e1.pipe(countTokens({ throttleMs: 5, scheduler: testScheduler }))).toBe(expected, {
        x: { estimatedOutputTokens: tokens('one') },
        y: { estimatedOutputTokens: tokens('one two three') },
        z: { estimatedOutputTokens: tokens('one two three four') },
      });
    });
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = countTokens();
      // prettier-ignore
      const e1 = cold('-a-|', { a: delta('m1', 'Hello') });
      expectObservable(e1.pipe(operator)).toBe('-x-|', { x: { estimatedOutputTokens: tokens('Hello') } });
      expectObservable(e1.pipe(operator)).toBe('-x-|', { x: { estimatedOutputTokens: tokens('Hello') } });
    });
  });

  it('should not complete with a never source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('-');
      expectObservable(e1.pipe(countTokens())).toBe('-');
      expectSubscriptions(e1.subscriptions).toBe('^');
    });
  });

  it('should complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('|');
      expectObservable(e1.pipe(countTokens())).toBe('|');
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should propagate a source error after the counts so far', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-#', { a: delta('m1', 'Hi') });
      const e1subs =  '^--!';
      expectObservable(e1.pipe(countTokens())).toBe('-x-#', { x: { estimatedOutputTokens: tokens('Hi') } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep counting with a never-ending source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-b-', { a: delta('m1', 'Hi'), b: delta('m1', ' there') });
      const e1subs =  '^----';
      expectObservable(e1.pipe(countTokens())).toBe('-x-y-', { x: { estimatedOutputTokens: tokens('Hi') }, y: { estimatedOutputTokens: tokens('Hi there') } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should allow unsubscribing early and explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--b--c--|', { a: delta('m1', 'a'), b: delta('m1', ' b'), c: delta('m1', ' c') });
      const unsub =   '-----!';
      const e1subs =  '^----!';
      expectObservable(e1.pipe(countTokens()), unsub).toBe('-x--y-', { x: { estimatedOutputTokens: tokens('a') }, y: { estimatedOutputTokens: tokens('a b') } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--b--c--|', { a: delta('m1', 'a'), b: delta('m1', ' b'), c: delta('m1', ' c') });
      const unsub =   '-----!';
      const e1subs =  '^----!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        countTokens(),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe('-x--y-', { x: { estimatedOutputTokens: tokens('a') }, y: { estimatedOutputTokens: tokens('a b') } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should error, and unsubscribe from the source, when the agents predicate throws', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--b--c--|', { a: delta('m1', 'a'), b: delta('s1', 'b', 'agent-1'), c: delta('m1', 'c') });
      const e1subs =  '^---!';
      const agents = (agentId: string | undefined): boolean => {
        if (agentId !== undefined) throw new Error('boom');
        return true;
      };
      expectObservable(e1.pipe(countTokens({ agents }))).toBe('-x--#', { x: { estimatedOutputTokens: tokens('a') } }, new Error('boom'));
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('rejects a bad configuration with the bad value in the message', () => {
    expect(() => countTokens({ encoding: 'p50k_base' as 'o200k_base' })).toThrow('countTokens encoding must be o200k_base or cl100k_base. Got p50k_base');
    expect(() => countTokens({ throttleMs: -1 })).toThrow('countTokens throttleMs must be a non-negative number. Got -1');
  });

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const sideEffects: number[] = [];
    const synchronousObservable = new Observable<EventLike>((subscriber) => {
      // This checks whether the subscriber was closed on each loop: once `take` unsubscribes, it must be.
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next(delta('m1', ' x'));
      }
    });
    synchronousObservable.pipe(countTokens(), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1, 2]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless(() => delta('m1', ' x'), countTokens(), 3);
    const count = (n: number) => ({ estimatedOutputTokens: tokens(' x'.repeat(n)) });
    expect(run).toEqual({ pulled: 3, received: [count(1), count(2), count(3)], completed: true });
  });
});
