import { mergeMap, Observable, of, Subject, take, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { detectIdle } from '../packages/operators/src/detectIdle';
import { IdleTimeoutError, type IdleSnapshot } from '../packages/operators/src/errors';
import type { EventLike } from '../packages/operators/src/events';
import { runEndless } from './synchronousSource';

const ev = (type: string, data: Record<string, unknown> = {}, agentId?: string): EventLike => ({
  type,
  ...(agentId === undefined ? {} : { agentId }),
  data,
});
const delta = ev('assistant.message_delta', { messageId: 'm1', deltaContent: 'x' });
const toolStart = (toolCallId: string, agentId?: string) => ev('tool.execution_start', { toolCallId, toolName: 'bash' }, agentId);
const toolDone = (toolCallId: string, agentId?: string) => ev('tool.execution_complete', { toolCallId, success: true }, agentId);

/** Matches the IdleTimeoutError the operator must raise (jest's toEqual compares only an Error's message). */
const idleError = (timeoutMs: number, snapshot: Partial<IdleSnapshot>) =>
  expect.objectContaining({ name: 'IdleTimeoutError', code: 'IDLE_TIMEOUT', timeoutMs, snapshot: expect.objectContaining(snapshot) });

describe('detectIdle', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('passes events through and pauses the clock while a tool runs', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const values = { a: delta, s: toolStart('t1'), c: toolDone('t1') };
      // prettier-ignore
      const e1 =  hot('-a-s--------c---------', values);
      //               -|-|        |---!          the clock: restarted by a, paused by s, restarted by c
      const e1subs =  '^---------------!';
      const expected = '-a-s--------c---#';
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 4 }))).toBe(expected, values, idleError(4, { silentForMs: 4, openTools: [], pendingRequests: [] }));
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('restarts the clock on every event', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-a-a-------', { a: delta });
      //               -|-|-|--!         timeouts of 3 frames
      const expected = '-a-a-a--#';
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 3 }))).toBe(expected, { a: delta }, idleError(3, { silentForMs: 3 }));
    });
  });

  it.each([
    ['a permission request', ev('permission.requested', { requestId: 'r1' }), ev('permission.completed', { requestId: 'r1' })],
    ['a user-input request', ev('user_input.requested', { requestId: 'r1' }), ev('user_input.completed', { requestId: 'r1' })],
    ['an external tool request', ev('external_tool.requested', { requestId: 'r1', toolCallId: 't1' }), ev('external_tool.completed', { requestId: 'r1' })],
    ['compaction', ev('session.compaction_start', { trigger: 'threshold' }), ev('session.compaction_complete', { success: true })],
  ])('pauses the clock while %s is pending', (_, open, close) => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { o: open, c: close };
      // prettier-ignore
      const e1 = cold('-o--------c-----', values);
      const expected = '-o--------c---#';
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 4 }))).toBe(expected, values, idleError(4, { pendingRequests: [], compacting: false }));
    });
  });

  it('stays paused until the last of two overlapping tools completes', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { s: toolStart('t1'), t: toolStart('t2'), c: toolDone('t1'), d: toolDone('t2') };
      // prettier-ignore
      const e1 = cold('-s-t-c--------d-------', values);
      const expected = '-s-t-c--------d---#';
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 4 }))).toBe(expected, values, idleError(4, { openTools: [] }));
    });
  });

  it('closes running tools at an abort: the CLI sends no completion for them', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { s: toolStart('t1'), x: ev('abort', { reason: 'user_initiated' }) };
      // prettier-ignore
      const e1 = cold('-s-----x--------', values);
      const expected = '-s-----x---#';
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 4 }))).toBe(expected, values, idleError(4, { openTools: [] }));
    });
  });

  it('closes only the ending agent\'s tools at assistant.turn_end (tool calls are keyed by agent)', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // The main agent and a sub-agent both use toolcall_0; the main turn ends while the sub-agent's runs.
      const values = {
        m: toolStart('toolcall_0'),
        s: toolStart('toolcall_0', 'agent-1'),
        c: toolDone('toolcall_0'),
        e: ev('assistant.turn_end', { turnId: '0' }),
        f: ev('assistant.turn_end', { turnId: '0' }, 'agent-1'),
      };
      // prettier-ignore
      const e1 = cold('-m-s-c-e--------f--------', values);
      const expected = '-m-s-c-e--------f---#';
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 4 }))).toBe(expected, values, idleError(4, { openTools: [] }));
    });
  });

  it('stops the clock after session.idle until work starts again', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { i: ev('session.idle'), u: ev('session.usage_info'), p: ev('pending_messages.modified') };
      // prettier-ignore
      const e1 = cold('-i-----u-----p-------', values);
      //               -!           |---!        a late event after idle does not restart the clock
      const expected = '-i-----u-----p---#';
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 4 }))).toBe(expected, values, idleError(4, {}));
    });
  });

  it('times out a pause with maxPauseMs, naming the tool it was stuck on', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: delta, s: toolStart('t1') };
      // prettier-ignore
      const e1 = cold('-a-s----------', values);
      //                 |------!        pause limit of 7 frames
      const expected = '-a-s------#';
      const snapshot: IdleSnapshot = {
        silentForMs: 7,
        lastEvents: [
          { type: 'assistant.message_delta', at: 1 },
          { type: 'tool.execution_start', at: 3 },
        ],
        openTools: [{ toolCallId: 't1', toolName: 'bash', since: 3 }],
        pendingRequests: [],
        compacting: false,
      };
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 4, maxPauseMs: 7 }))).toBe(
        expected,
        values,
        expect.objectContaining({
          code: 'IDLE_TIMEOUT',
          timeoutMs: 7,
          snapshot,
          message: 'No session event for 7 ms (limit 7 ms); last event: tool.execution_start; running tools: bash (t1)',
        }),
      );
    });
  });

  it('keeps the last keepLast events, and the pending requests, in the snapshot', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: { ...delta, id: 'e1' }, b: { ...delta, id: 'e2' }, p: { ...ev('user_input.requested', { requestId: 'r9' }), id: 'e3' } };
      // prettier-ignore
      const e1 = cold('-a-b-p-------', values);
      const expected = '-a-b-p---#';
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 4, maxPauseMs: 4, keepLast: 2 }))).toBe(
        expected,
        values,
        idleError(4, {
          lastEvents: [
            { type: 'assistant.message_delta', id: 'e2', at: 3 },
            { type: 'user_input.requested', id: 'e3', at: 5 },
          ],
          pendingRequests: [{ type: 'user_input.requested', requestId: 'r9', since: 5 }],
        }),
      );
    });
  });

  it('raises an IdleTimeoutError instance with a stable code', () => {
    const errors: unknown[] = [];
    testScheduler.run(({ cold }) => {
      cold<EventLike>('-').pipe(detectIdle({ timeoutMs: 2 })).subscribe({ error: (err: unknown) => errors.push(err) });
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(IdleTimeoutError);
    expect(errors[0]).toMatchObject({ code: 'IDLE_TIMEOUT', message: 'No session event for 2 ms (limit 2 ms); no event since subscribing' });
  });

  it('should error with a never source once the timeout passes (the clock starts at subscription)', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('-');
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 3 }))).toBe('---#', undefined, idleError(3, { lastEvents: [] }));
      expectSubscriptions(e1.subscriptions).toBe('^--!');
    });
  });

  it('should complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('|');
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 3 }))).toBe('|');
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should emit one event and complete before the timeout', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a--|', { a: delta });
      const e1subs =  '^---!';
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 5 }))).toBe('-a--|', { a: delta });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should propagate a source error', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-#', { a: delta });
      const e1subs =  '^--!';
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 5 }))).toBe('-a-#', { a: delta });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep passing events, and never error, with a never-ending source paused by a running tool', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { s: toolStart('t1'), p: ev('tool.execution_progress', { toolCallId: 't1', progressMessage: '...' }) };
      // prettier-ignore
      const e1 = cold('-s-p-p---------', values);
      const e1subs =  '^--------------';
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 3 }))).toBe('-s-p-p---------', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should cancel the clock when unsubscribed early', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a---------', { a: delta });
      const unsub =   '---!';
      const e1subs =  '^--!';
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 4 })), unsub).toBe('-a--', { a: delta });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a---------', { a: delta });
      const unsub =   '---!';
      const e1subs =  '^--!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        detectIdle({ timeoutMs: 4 }),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe('-a--', { a: delta });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should error, and unsubscribe from the source, on an event that lacks the data of its type', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--b--', { a: delta, b: { type: 'tool.execution_start' } });
      const e1subs =  '^---!';
      expectObservable(e1.pipe(detectIdle({ timeoutMs: 10 }))).toBe('-a--#', { a: delta }, expect.any(TypeError));
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('rejects a bad configuration with the bad value in the message', () => {
    expect(() => detectIdle({ timeoutMs: 0 })).toThrow('detectIdle timeoutMs must be a positive, finite number of ms. Got 0');
    expect(() => detectIdle({ timeoutMs: Infinity })).toThrow('Got Infinity');
    expect(() => detectIdle({} as { timeoutMs: number })).toThrow('Got undefined');
    expect(() => detectIdle({ timeoutMs: 5, maxPauseMs: -1 })).toThrow('detectIdle maxPauseMs must be a positive number of ms. Got -1');
    expect(() => detectIdle({ timeoutMs: 5, keepLast: 1.5 })).toThrow('detectIdle keepLast must be a non-negative integer. Got 1.5');
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = detectIdle({ timeoutMs: 4 });
      // The tool running in the first stream must not pause the clock of the second.
      // prettier-ignore
      const e1 = cold('-s------|', { s: toolStart('t1') });
      const e2 = cold('-d-------|', { d: delta });
      //                -|---!      the second stream's clock
      expectObservable(e1.pipe(operator)).toBe('-s------|', { s: toolStart('t1') });
      expectObservable(e2.pipe(operator)).toBe('-d---#', { d: delta }, idleError(4, { silentForMs: 4, openTools: [] }));
    });
  });

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const sideEffects: number[] = [];
    const synchronousObservable = new Observable<EventLike>((subscriber) => {
      // This checks whether the subscriber was closed on each loop: once `take` unsubscribes, it must be.
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next(delta);
      }
    });
    synchronousObservable.pipe(detectIdle({ timeoutMs: 1000, scheduler: new VirtualTimeScheduler() }), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1, 2]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless(() => delta, detectIdle({ timeoutMs: 1000, scheduler: new VirtualTimeScheduler() }), 3);
    expect(run).toEqual({ pulled: 3, received: [delta, delta, delta], completed: true });
  });

  it('should leave no clock behind when the consumer leaves on an event', () => {
    const scheduler = new VirtualTimeScheduler();
    // A live source: the teardown is in place before the event arrives.
    const events = new Subject<EventLike>();
    const received: EventLike[] = [];
    events.pipe(detectIdle({ timeoutMs: 5, scheduler }), take(1)).subscribe((event) => received.push(event));
    events.next(delta);
    expect(received).toEqual([delta]);
    expect(scheduler.actions).toEqual([]);
  });
});
