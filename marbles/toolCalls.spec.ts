import { mergeMap, Observable, of, take, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { EventLike } from '../packages/operators/src/events';
import { toolCalls, type ToolCallState } from '../packages/operators/src/toolCalls';
import { runEndless } from './synchronousSource';

const ev = (type: string, data: Record<string, unknown> = {}, agentId?: string): EventLike => ({ type, ...(agentId === undefined ? {} : { agentId }), data });
const start = (toolCallId: string, agentId?: string) => ev('tool.execution_start', { toolCallId, toolName: 'bash', arguments: { command: 'ls' } }, agentId);
const partial = (toolCallId: string, partialOutput: string) => ev('tool.execution_partial_result', { toolCallId, partialOutput });
const progress = (toolCallId: string, progressMessage: string) => ev('tool.execution_progress', { toolCallId, progressMessage });
const complete = (toolCallId: string, agentId?: string) => ev('tool.execution_complete', { toolCallId, success: true, result: { content: 'a.txt' } }, agentId);
const failed = (toolCallId: string) => ev('tool.execution_complete', { toolCallId, success: false, error: { message: 'Permission denied', code: 'rejected' } });
const abort = (agentId?: string) => ev('abort', { reason: 'user_initiated' }, agentId);
const turnEnd = (agentId?: string) => ev('assistant.turn_end', { turnId: '0' }, agentId);

const running = (toolCallId: string, startedAt: number, more: Partial<ToolCallState> = {}): ToolCallState => ({
  toolCallId,
  toolName: 'bash',
  arguments: { command: 'ls' },
  status: 'running',
  output: '',
  startedAt,
  ...more,
});
const interrupted = (toolCallId: string, startedAt: number, at: number, by: string, more: Partial<ToolCallState> = {}): ToolCallState =>
  running(toolCallId, startedAt, { status: 'interrupted', error: { message: `No completion: still running at ${by}`, code: 'interrupted' }, durationMs: at - startedAt, ...more });

describe('toolCalls', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('follows a call from start through partial results to completion, and interrupts one at an abort', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const values = { s: start('t1'), p: partial('t1', 'a.t'), c: complete('t1'), t: start('t2'), x: abort(), e: turnEnd() };
      // prettier-ignore
      const e1 =  hot('-s--p--c--t-x-e-|', values);
      const e1subs =  '^---------------!';
      const expected = '-a--b--c--d-z---|';
      expectObservable(e1.pipe(toolCalls())).toBe(expected, {
        a: running('t1', 1),
        b: running('t1', 1, { output: 'a.t' }),
        c: running('t1', 1, { output: 'a.t', status: 'succeeded', result: { content: 'a.txt' }, durationMs: 6 }),
        d: running('t2', 10),
        z: interrupted('t2', 10, 12, 'abort'),
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('reports a failed call with its error, and the last progress message', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-s-p-f-|', { s: start('t1'), p: progress('t1', 'Waiting for approval'), f: failed('t1') });
      expectObservable(e1.pipe(toolCalls())).toBe('-a-b-c-|', {
        a: running('t1', 1),
        b: running('t1', 1, { progress: 'Waiting for approval' }),
        c: running('t1', 1, { progress: 'Waiting for approval', status: 'failed', error: { message: 'Permission denied', code: 'rejected' }, durationMs: 4 }),
      });
    });
  });

  it('keys calls by agent: the main agent and a sub-agent may both use toolcall_0', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { m: start('toolcall_0'), s: start('toolcall_0', 'agent-1'), c: complete('toolcall_0', 'agent-1'), d: complete('toolcall_0') };
      // prettier-ignore
      const e1 = cold('-m-s-c-d-|', values);
      expectObservable(e1.pipe(toolCalls())).toBe('-a-b-c-d-|', {
        a: running('toolcall_0', 1),
        b: running('toolcall_0', 3, { agentId: 'agent-1' }),
        c: running('toolcall_0', 3, { agentId: 'agent-1', status: 'succeeded', result: { content: 'a.txt' }, durationMs: 2 }),
        d: running('toolcall_0', 1, { status: 'succeeded', result: { content: 'a.txt' }, durationMs: 6 }),
      });
    });
  });

  it('interrupts at assistant.turn_end only the calls of the agent whose turn ended', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { m: start('t1'), s: start('t2', 'agent-1'), e: turnEnd('agent-1'), f: turnEnd() };
      // prettier-ignore
      const e1 = cold('-m-s-e-f-|', values);
      expectObservable(e1.pipe(toolCalls())).toBe('-a-b-c-d-|', {
        a: running('t1', 1),
        b: running('t2', 3, { agentId: 'agent-1' }),
        c: interrupted('t2', 3, 5, 'assistant.turn_end', { agentId: 'agent-1' }),
        d: interrupted('t1', 1, 7, 'assistant.turn_end'),
      });
    });
  });

  it('interrupts at a sub-agent\'s abort only that agent\'s calls, and every call at session.shutdown', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { m: start('t1'), s: start('t2', 'agent-1'), x: abort('agent-1'), z: ev('session.shutdown', { shutdownType: 'routine' }) };
      // prettier-ignore
      const e1 = cold('-m-s-x-z-|', values);
      expectObservable(e1.pipe(toolCalls())).toBe('-a-b-c-d-|', {
        a: running('t1', 1),
        b: running('t2', 3, { agentId: 'agent-1' }),
        c: interrupted('t2', 3, 5, 'abort', { agentId: 'agent-1' }),
        d: interrupted('t1', 1, 7, 'session.shutdown'),
      });
    });
  });

  it('ignores the progress and completion of a call that started before the subscription', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-p-c-i-|', { p: partial('t0', 'x'), c: complete('t0'), i: ev('session.idle') });
      expectObservable(e1.pipe(toolCalls())).toBe('-------|');
    });
  });

  it('follows only the main agent\'s calls with agents: main', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-m-s-|', { m: start('t1'), s: start('t2', 'agent-1') });
      expectObservable(e1.pipe(toolCalls({ agents: 'main' }))).toBe('-a---|', { a: running('t1', 1) });
    });
  });

  it('measures durations with the given scheduler', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-s-----c-|', { s: start('t1'), c: complete('t1') });
      expectObservable(e1.pipe(toolCalls({ scheduler: testScheduler }))).toBe('-a-----b-|', {
        a: running('t1', 1),
        b: running('t1', 1, { status: 'succeeded', result: { content: 'a.txt' }, durationMs: 6 }),
      });
    });
  });

  it('should not complete with a never source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('-');
      expectObservable(e1.pipe(toolCalls())).toBe('-');
      expectSubscriptions(e1.subscriptions).toBe('^');
    });
  });

  it('should complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('|');
      expectObservable(e1.pipe(toolCalls())).toBe('|');
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should emit one state for a single start and complete without inventing its end', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-s-|', { s: start('t1') });
      const e1subs =  '^--!';
      expectObservable(e1.pipe(toolCalls())).toBe('-a-|', { a: running('t1', 1) });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should propagate a source error', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-s-#', { s: start('t1') });
      const e1subs =  '^--!';
      expectObservable(e1.pipe(toolCalls())).toBe('-a-#', { a: running('t1', 1) });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep emitting with a never-ending source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-s-p-', { s: start('t1'), p: partial('t1', 'x') });
      const e1subs =  '^----';
      expectObservable(e1.pipe(toolCalls())).toBe('-a-b-', { a: running('t1', 1), b: running('t1', 1, { output: 'x' }) });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should allow unsubscribing early and explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-s--p--c--|', { s: start('t1'), p: partial('t1', 'x'), c: complete('t1') });
      const unsub =   '-----!';
      const e1subs =  '^----!';
      expectObservable(e1.pipe(toolCalls()), unsub).toBe('-a--b-', { a: running('t1', 1), b: running('t1', 1, { output: 'x' }) });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-s--p--c--|', { s: start('t1'), p: partial('t1', 'x'), c: complete('t1') });
      const unsub =   '-----!';
      const e1subs =  '^----!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        toolCalls(),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe('-a--b-', { a: running('t1', 1), b: running('t1', 1, { output: 'x' }) });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should error, and unsubscribe from the source, when the agents predicate throws', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-s--t--|', { s: start('t1'), t: start('t2', 'agent-1') });
      const e1subs =  '^---!';
      const agents = (agentId: string | undefined): boolean => {
        if (agentId !== undefined) throw new Error('boom');
        return true;
      };
      expectObservable(e1.pipe(toolCalls({ agents }))).toBe('-a--#', { a: running('t1', 1) }, new Error('boom'));
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = toolCalls();
      // The second stream completes a call that only the first stream saw start: it must not know it.
      // prettier-ignore
      const e1 = cold('-s---|', { s: start('t1') });
      const e2 = cold('---c-|', { c: complete('t1') });
      expectObservable(e1.pipe(operator)).toBe('-a---|', { a: running('t1', 1) });
      expectObservable(e2.pipe(operator)).toBe('-----|');
    });
  });

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const sideEffects: number[] = [];
    const synchronousObservable = new Observable<EventLike>((subscriber) => {
      // This checks whether the subscriber was closed on each loop: once `take` unsubscribes, it must be.
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next(start(`t${i}`));
      }
    });
    synchronousObservable.pipe(toolCalls(), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1, 2]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless((i) => start(`t${i}`), toolCalls({ scheduler: new VirtualTimeScheduler() }), 3);
    expect(run).toEqual({ pulled: 3, received: [running('t0', 0), running('t1', 0), running('t2', 0)], completed: true });
  });
});
