import { mergeMap, Observable, of, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { EventLike } from '../packages/operators/src/events';
import { usageTotals, type UsageFigures } from '../packages/operators/src/usageTotals';
import { runEndless } from './synchronousSource';

const usage = (data: Record<string, unknown>, agentId?: string): EventLike => ({
  type: 'assistant.usage',
  ...(agentId === undefined ? {} : { agentId }),
  data: { model: 'claude-sonnet-4.5', ...data },
});
const other: EventLike = { type: 'assistant.message', data: { messageId: 'm1', content: 'Hi' } };
const figures = (values: Partial<UsageFigures>): UsageFigures => ({
  calls: 0,
  inputTokens: 0,
  uncachedInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  totalTokens: 0,
  cost: 0,
  durationMs: 0,
  ...values,
});
const totals = (values: Partial<UsageFigures>, byModel: Record<string, Partial<UsageFigures>>) => ({
  ...figures(values),
  byModel: Object.fromEntries(Object.entries(byModel).map(([model, v]) => [model, figures(v)])),
});

// One call: 100 prompt tokens of which 80 were cache reads, 10 output tokens (4 of them reasoning).
const call = { inputTokens: 100, cacheReadTokens: 80, cacheWriteTokens: 20, outputTokens: 10, reasoningTokens: 4, cost: 1, duration: 300 };
const once = { calls: 1, inputTokens: 100, uncachedInputTokens: 20, outputTokens: 10, reasoningTokens: 4, cacheReadTokens: 80, cacheWriteTokens: 20, totalTokens: 110, cost: 1, durationMs: 300 };
const twice = { calls: 2, inputTokens: 200, uncachedInputTokens: 40, outputTokens: 20, reasoningTokens: 8, cacheReadTokens: 160, cacheWriteTokens: 40, totalTokens: 220, cost: 2, durationMs: 600 };

describe('usageTotals', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('sums every call, counting cache reads once, as part of the input', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 =  hot('-a---x---b-|', { a: usage(call), x: other, b: usage(call) });
      const e1subs =  '^----------!';
      const expected = '-s-------t-|';
      expectObservable(e1.pipe(usageTotals())).toBe(expected, {
        s: totals(once, { 'claude-sonnet-4.5': once }),
        t: totals(twice, { 'claude-sonnet-4.5': twice }),
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('keeps subtotals per model', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-b-|', { a: usage({ inputTokens: 10, outputTokens: 1, cost: 1 }), b: usage({ model: 'gpt-5', inputTokens: 20, outputTokens: 2, cost: 0.5 }) });
      const a = { calls: 1, inputTokens: 10, uncachedInputTokens: 10, outputTokens: 1, totalTokens: 11, cost: 1 };
      const b = { calls: 1, inputTokens: 20, uncachedInputTokens: 20, outputTokens: 2, totalTokens: 22, cost: 0.5 };
      expectObservable(e1.pipe(usageTotals())).toBe('-s-t-|', {
        s: totals(a, { 'claude-sonnet-4.5': a }),
        t: totals({ calls: 2, inputTokens: 30, uncachedInputTokens: 30, outputTokens: 3, totalTokens: 33, cost: 1.5 }, { 'claude-sonnet-4.5': a, 'gpt-5': b }),
      });
    });
  });

  it('counts a figure the CLI left out as zero', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-|', { a: usage({ outputTokens: 5 }) });
      const one = { calls: 1, outputTokens: 5, totalTokens: 5 };
      expectObservable(e1.pipe(usageTotals())).toBe('-s-|', { s: totals(one, { 'claude-sonnet-4.5': one }) });
    });
  });

  it('includes sub-agents by default and leaves them out with agents: main', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-b-|', { a: usage(call), b: usage(call, 'agent-1') });
      expectObservable(e1.pipe(usageTotals())).toBe('-s-t-|', {
        s: totals(once, { 'claude-sonnet-4.5': once }),
        t: totals(twice, { 'claude-sonnet-4.5': twice }),
      });
      expectObservable(e1.pipe(usageTotals({ agents: 'main' }))).toBe('-s---|', { s: totals(once, { 'claude-sonnet-4.5': once }) });
    });
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = usageTotals();
      // prettier-ignore
      const e1 = cold('-a-|', { a: usage(call) });
      expectObservable(e1.pipe(operator)).toBe('-s-|', { s: totals(once, { 'claude-sonnet-4.5': once }) });
      expectObservable(e1.pipe(operator)).toBe('-s-|', { s: totals(once, { 'claude-sonnet-4.5': once }) });
    });
  });

  it('should not complete with a never source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('-');
      expectObservable(e1.pipe(usageTotals())).toBe('-');
      expectSubscriptions(e1.subscriptions).toBe('^');
    });
  });

  it('should complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('|');
      expectObservable(e1.pipe(usageTotals())).toBe('|');
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should propagate a source error after the totals so far', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-#', { a: usage(call) });
      const e1subs =  '^--!';
      expectObservable(e1.pipe(usageTotals())).toBe('-s-#', { s: totals(once, { 'claude-sonnet-4.5': once }) });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep summing with a never-ending source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-b-', { a: usage(call), b: usage(call) });
      const e1subs =  '^----';
      expectObservable(e1.pipe(usageTotals())).toBe('-s-t-', {
        s: totals(once, { 'claude-sonnet-4.5': once }),
        t: totals(twice, { 'claude-sonnet-4.5': twice }),
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should allow unsubscribing early and explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--b--c--|', { a: usage(call), b: usage(call), c: usage(call) });
      const unsub =   '-----!';
      const e1subs =  '^----!';
      expectObservable(e1.pipe(usageTotals()), unsub).toBe('-s--t-', {
        s: totals(once, { 'claude-sonnet-4.5': once }),
        t: totals(twice, { 'claude-sonnet-4.5': twice }),
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--b--c--|', { a: usage(call), b: usage(call), c: usage(call) });
      const unsub =   '-----!';
      const e1subs =  '^----!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        usageTotals(),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe('-s--t-', {
        s: totals(once, { 'claude-sonnet-4.5': once }),
        t: totals(twice, { 'claude-sonnet-4.5': twice }),
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should error, and unsubscribe from the source, when the agents predicate throws', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--b--c--|', { a: usage(call), b: usage(call, 'agent-1'), c: usage(call) });
      const e1subs =  '^---!';
      const agents = (agentId: string | undefined): boolean => {
        if (agentId !== undefined) throw new Error('boom');
        return true;
      };
      expectObservable(e1.pipe(usageTotals({ agents }))).toBe('-s--#', { s: totals(once, { 'claude-sonnet-4.5': once }) }, new Error('boom'));
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const sideEffects: number[] = [];
    const synchronousObservable = new Observable<EventLike>((subscriber) => {
      // This checks whether the subscriber was closed on each loop: once `take` unsubscribes, it must be.
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next(usage(call));
      }
    });
    synchronousObservable.pipe(usageTotals(), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1, 2]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless(() => usage(call), usageTotals(), 3);
    expect(run).toMatchObject({ pulled: 3, received: [{ calls: 1 }, { calls: 2 }, { calls: 3 }], completed: true });
  });
});
