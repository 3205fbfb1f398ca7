import { mergeMap, Observable, of, Subject, take, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { FirstTokenTimeoutError } from '../packages/operators/src/errors';
import type { EventLike } from '../packages/operators/src/events';
import { firstTokenTimeout } from '../packages/operators/src/firstTokenTimeout';
import { runEndless } from './synchronousSource';

const ev = (type: string, data: Record<string, unknown> = {}, agentId?: string): EventLike => ({ type, ...(agentId === undefined ? {} : { agentId }), data });
const turnStart = (turnId: string, agentId?: string) => ev('assistant.turn_start', { turnId }, agentId);
const values: Record<string, EventLike> = {
  t: turnStart('0'),
  u: turnStart('1'),
  d: ev('assistant.message_delta', { messageId: 'm1', deltaContent: 'Hi' }),
  r: ev('assistant.reasoning_delta', { reasoningId: 'r1', deltaContent: 'Hmm' }),
  k: ev('assistant.tool_call_delta', { toolCallId: 't1', inputDelta: '{' }),
  m: ev('assistant.message', { messageId: 'm1', content: 'Hi' }),
  x: ev('session.usage_info'),
  f: ev('model.call_failure', { statusCode: 500 }),
  s: turnStart('0', 'agent-1'),
};

/** Matches the FirstTokenTimeoutError the operator must raise (jest's toEqual compares only an Error's message). */
const lateError = (timeoutMs: number, turnId: string) =>
  expect.objectContaining({
    name: 'FirstTokenTimeoutError',
    code: 'FIRST_TOKEN_TIMEOUT',
    timeoutMs,
    turnId,
    message: `No output from the model within ${timeoutMs} ms of the start of turn ${turnId}`,
  });

describe('firstTokenTimeout', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('times each turn from its start to its first delta', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 =  hot('-t-d------u---------', values);
      //               -|-!      |---!          the clock of each turn
      const e1subs =  '^-------------!';
      const expected = '-t-d------u---#';
      expectObservable(e1.pipe(firstTokenTimeout({ timeoutMs: 4 }))).toBe(expected, values, lateError(4, '1'));
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it.each(['r', 'k', 'm'])('counts %s (reasoning, tool arguments, a whole message) as output', (output) => {
    testScheduler.run(({ cold, expectObservable }) => {
      const e1 = cold(`-t-${output}--------|`, values);
      expectObservable(e1.pipe(firstTokenTimeout({ timeoutMs: 4 }))).toBe(`-t-${output}--------|`, values);
    });
  });

  it('keeps the clock through other events and a failed attempt the CLI retries', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-t-x-f----d-|', values);
      //               -|-----!         the turn's clock: 6 frames
      const expected = '-t-x-f-#';
      expectObservable(e1.pipe(firstTokenTimeout({ timeoutMs: 6 }))).toBe(expected, values, lateError(6, '0'));
    });
  });

  it.each([
    ['assistant.turn_end', ev('assistant.turn_end', { turnId: '0' })],
    ['abort', ev('abort', { reason: 'user_initiated' })],
    ['session.error', ev('session.error', { errorType: 'query', message: 'failed' })],
    ['session.idle', ev('session.idle')],
  ])('stops the clock at %s: no output is owed after it', (_, stop) => {
    testScheduler.run(({ cold, expectObservable }) => {
      const local = { ...values, e: stop };
      // prettier-ignore
      const e1 = cold('-t-e--------|', local);
      expectObservable(e1.pipe(firstTokenTimeout({ timeoutMs: 4 }))).toBe('-t-e--------|', local);
    });
  });

  it('does not time sub-agents\' turns, nor stop the main clock at their output', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const local = { ...values, e: ev('assistant.message_delta', { messageId: 's1', deltaContent: 'x' }, 'agent-1') };
      // prettier-ignore
      const e1 = cold('-s------t-e------|', local);
      const expected = '-s------t-e-#';
      expectObservable(e1.pipe(firstTokenTimeout({ timeoutMs: 4 }))).toBe(expected, local, lateError(4, '0'));
    });
  });

  it('raises a FirstTokenTimeoutError instance', () => {
    const errors: unknown[] = [];
    testScheduler.run(({ cold }) => {
      cold('-t-', values).pipe(firstTokenTimeout({ timeoutMs: 2 })).subscribe({ error: (err: unknown) => errors.push(err) });
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(FirstTokenTimeoutError);
  });

  it('should not complete nor error with a never source: no turn, no clock', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('-');
      expectObservable(e1.pipe(firstTokenTimeout({ timeoutMs: 3 }))).toBe('-');
      expectSubscriptions(e1.subscriptions).toBe('^');
    });
  });

  it('should complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('|');
      expectObservable(e1.pipe(firstTokenTimeout({ timeoutMs: 3 }))).toBe('|');
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should complete, and cancel the clock, when the source completes mid-turn', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-t-|', values);
      const e1subs =  '^--!';
      expectObservable(e1.pipe(firstTokenTimeout({ timeoutMs: 5 }))).toBe('-t-|', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should propagate a source error', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-t-#', values);
      const e1subs =  '^--!';
      expectObservable(e1.pipe(firstTokenTimeout({ timeoutMs: 5 }))).toBe('-t-#', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep passing events with a never-ending source whose turns answer in time', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-t-d-u-d-d-', values);
      const e1subs =  '^----------';
      expectObservable(e1.pipe(firstTokenTimeout({ timeoutMs: 3 }))).toBe('-t-d-u-d-d-', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should cancel the clock when unsubscribed early', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-t---------', values);
      const unsub =   '---!';
      const e1subs =  '^--!';
      expectObservable(e1.pipe(firstTokenTimeout({ timeoutMs: 4 })), unsub).toBe('-t--', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-t---------', values);
      const unsub =   '---!';
      const e1subs =  '^--!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        firstTokenTimeout({ timeoutMs: 4 }),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe('-t--', values);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('rejects a bad configuration with the bad value in the message', () => {
    expect(() => firstTokenTimeout({ timeoutMs: -1 })).toThrow('firstTokenTimeout timeoutMs must be a positive, finite number of ms. Got -1');
    expect(() => firstTokenTimeout({} as { timeoutMs: number })).toThrow('Got undefined');
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = firstTokenTimeout({ timeoutMs: 3 });
      // The delta of the second stream must not stop the clock of the first stream's turn.
      // prettier-ignore
      const e1 = cold('-t-----|', values);
      const e2 = cold('--d----|', values);
      //                -|--!       the first stream's clock
      expectObservable(e1.pipe(operator)).toBe('-t--#', values, lateError(3, '0'));
      expectObservable(e2.pipe(operator)).toBe('--d----|', values);
    });
  });

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const sideEffects: number[] = [];
    const synchronousObservable = new Observable<EventLike>((subscriber) => {
      // This checks whether the subscriber was closed on each loop: once `take` unsubscribes, it must be.
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next(turnStart(`${i}`));
      }
    });
    synchronousObservable.pipe(firstTokenTimeout({ timeoutMs: 1000, scheduler: new VirtualTimeScheduler() }), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1, 2]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless((i) => turnStart(`${i}`), firstTokenTimeout({ timeoutMs: 1000, scheduler: new VirtualTimeScheduler() }), 3);
    expect(run).toEqual({ pulled: 3, received: [turnStart('0'), turnStart('1'), turnStart('2')], completed: true });
  });

  it('should leave no clock behind when the consumer leaves on the turn start that started it', () => {
    const scheduler = new VirtualTimeScheduler();
    // A live source: the teardown is in place before the event arrives.
    const events = new Subject<EventLike>();
    const received: EventLike[] = [];
    events.pipe(firstTokenTimeout({ timeoutMs: 5, scheduler }), take(1)).subscribe((event) => received.push(event));
    events.next(turnStart('0'));
    expect(received).toEqual([turnStart('0')]);
    expect(scheduler.actions).toEqual([]);
  });
});
