import { mergeMap, Observable, of, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { accumulateText } from '../packages/operators/src/accumulateText';
import type { EventLike } from '../packages/operators/src/events';
import { runEndless } from './synchronousSource';

const delta = (messageId: string, deltaContent: string, agentId?: string): EventLike => ({
  type: 'assistant.message_delta',
  ephemeral: true,
  ...(agentId === undefined ? {} : { agentId }),
  data: { messageId, deltaContent },
});
const message = (messageId: string, content: string, agentId?: string): EventLike => ({
  type: 'assistant.message',
  ...(agentId === undefined ? {} : { agentId }),
  data: { messageId, content, toolRequests: [] },
});
const reasoningDelta = (reasoningId: string, deltaContent: string): EventLike => ({
  type: 'assistant.reasoning_delta',
  data: { reasoningId, deltaContent },
});
const reasoning = (reasoningId: string, content: string): EventLike => ({ type: 'assistant.reasoning', data: { reasoningId, content } });
const start = (messageId: string): EventLike => ({ type: 'assistant.message_start', data: { messageId } });
const idle: EventLike = { type: 'session.idle', data: {} };

describe('accumulateText', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('emits a snapshot per delta and a final snapshot with the authoritative content', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const values = { s: start('m1'), a: delta('m1', 'He'), b: delta('m1', 'llo'), m: message('m1', 'Hello') };
      // prettier-ignore
      const e1 =  hot('--s--a--b---m--|', values);
      const e1subs =  '^--------------!';
      const expected = '-----x--y---z--|';
      expectObservable(e1.pipe(accumulateText())).toBe(expected, {
        x: { messageId: 'm1', delta: 'He', text: 'He', final: false },
        y: { messageId: 'm1', delta: 'llo', text: 'Hello', final: false },
        z: { messageId: 'm1', delta: '', text: 'Hello', final: true, drift: false },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('emits one snapshot for a single delta', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('--a--|', { a: delta('m1', 'Hi') });
      const e1subs =  '^----!';
      const expected = '--x--|';
      expectObservable(e1.pipe(accumulateText())).toBe(expected, { x: { messageId: 'm1', delta: 'Hi', text: 'Hi', final: false } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('flags drift when the deltas do not add up to the content, and replaces the text', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // Deltas delivered out of order under a flood (real-cli.md §5.1).
      // prettier-ignore
      const e1 = cold('-a-b-m-|', { a: delta('m1', 'lo'), b: delta('m1', 'Hel'), m: message('m1', 'Hello') });
      const expected = '-x-y-z-|';
      expectObservable(e1.pipe(accumulateText())).toBe(expected, {
        x: { messageId: 'm1', delta: 'lo', text: 'lo', final: false },
        y: { messageId: 'm1', delta: 'Hel', text: 'loHel', final: false },
        z: { messageId: 'm1', delta: '', text: 'Hello', final: true, drift: true },
      });
    });
  });

  it('completes a text whose last deltas were lost with the missing suffix as the delta', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-m-|', { a: delta('m1', 'Hel'), m: message('m1', 'Hello') });
      const expected = '-x-z-|';
      expectObservable(e1.pipe(accumulateText())).toBe(expected, {
        x: { messageId: 'm1', delta: 'Hel', text: 'Hel', final: false },
        z: { messageId: 'm1', delta: 'lo', text: 'Hello', final: true, drift: true },
      });
    });
  });

  it('treats a message without deltas (streaming off, tool-only answers) as no drift', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-m-n-|', { m: message('m1', 'Hello'), n: message('m2', '') });
      const expected = '-x-y-|';
      expectObservable(e1.pipe(accumulateText())).toBe(expected, {
        x: { messageId: 'm1', delta: 'Hello', text: 'Hello', final: true, drift: false },
        y: { messageId: 'm2', delta: '', text: '', final: true, drift: false },
      });
    });
  });

  it('starts a new snapshot for a new messageId (a retry re-streams from scratch)', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // The first attempt is cut after 'Hel'; the retry streams the whole answer again as m2.
      // prettier-ignore
      const e1 = cold('-a-b-c-m-|', { a: delta('m1', 'Hel'), b: delta('m2', 'Hel'), c: delta('m2', 'lo'), m: message('m2', 'Hello') });
      const expected = '-w-x-y-z-|';
      expectObservable(e1.pipe(accumulateText())).toBe(expected, {
        w: { messageId: 'm1', delta: 'Hel', text: 'Hel', final: false },
        x: { messageId: 'm2', delta: 'Hel', text: 'Hel', final: false },
        y: { messageId: 'm2', delta: 'lo', text: 'Hello', final: false },
        z: { messageId: 'm2', delta: '', text: 'Hello', final: true, drift: false },
      });
    });
  });

  it('forgets open messages at session.idle', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-i-b-|', { a: delta('m1', 'Hel'), i: idle, b: delta('m1', 'lo') });
      const expected = '-x---y-|';
      expectObservable(e1.pipe(accumulateText())).toBe(expected, {
        x: { messageId: 'm1', delta: 'Hel', text: 'Hel', final: false },
        y: { messageId: 'm1', delta: 'lo', text: 'lo', final: false },
      });
    });
  });

  it('reads only the main agent by default and separates sub-agents with agents: all', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: delta('m1', 'main'), b: delta('s1', 'sub', 'agent-1'), m: message('s1', 'sub', 'agent-1') };
      // prettier-ignore
      const e1 = cold('-a-b-m-|', values);
      const main = '   -x-----|';
      const all = '    -x-y-z-|';
      expectObservable(e1.pipe(accumulateText())).toBe(main, { x: { messageId: 'm1', delta: 'main', text: 'main', final: false } });
      expectObservable(e1.pipe(accumulateText({ agents: 'all' }))).toBe(all, {
        x: { messageId: 'm1', delta: 'main', text: 'main', final: false },
        y: { messageId: 's1', agentId: 'agent-1', delta: 'sub', text: 'sub', final: false },
        z: { messageId: 's1', agentId: 'agent-1', delta: '', text: 'sub', final: true, drift: false },
      });
    });
  });

  it('accumulates the reasoning channel by reasoningId and ignores message deltas there', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: reasoningDelta('r1', 'Think'), d: delta('m1', 'x'), b: reasoningDelta('r1', 'ing'), r: reasoning('r1', 'Thinking') };
      // prettier-ignore
      const e1 = cold('-a-d-b-r-|', values);
      const expected = '-x---y-z-|';
      expectObservable(e1.pipe(accumulateText({ channel: 'reasoning' }))).toBe(expected, {
        x: { reasoningId: 'r1', delta: 'Think', text: 'Think', final: false },
        y: { reasoningId: 'r1', delta: 'ing', text: 'Thinking', final: false },
        z: { reasoningId: 'r1', delta: '', text: 'Thinking', final: true, drift: false },
      });
    });
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = accumulateText();
      // prettier-ignore
      const e1 = cold('-a-b-|', { a: delta('m1', 'He'), b: delta('m1', 'llo') });
      const expected = '-x-y-|';
      const values = { x: { messageId: 'm1', delta: 'He', text: 'He', final: false }, y: { messageId: 'm1', delta: 'llo', text: 'Hello', final: false } };
      expectObservable(e1.pipe(operator)).toBe(expected, values);
      expectObservable(e1.pipe(operator)).toBe(expected, values);
    });
  });

  it('ignores other event types', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-b-|', { a: start('m1'), b: { type: 'assistant.turn_end', data: { turnId: '0' } } });
      const e1subs =  '^----!';
      expectObservable(e1.pipe(accumulateText())).toBe('-----|');
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not complete with a never source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('-');
      const e1subs = '^';
      expectObservable(e1.pipe(accumulateText())).toBe('-');
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('|');
      expectObservable(e1.pipe(accumulateText())).toBe('|');
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should propagate a source error after the snapshots so far', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-#', { a: delta('m1', 'He') });
      const e1subs =  '^--!';
      const expected = '-x-#';
      expectObservable(e1.pipe(accumulateText())).toBe(expected, { x: { messageId: 'm1', delta: 'He', text: 'He', final: false } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep emitting with a never-ending source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-b-', { a: delta('m1', 'He'), b: delta('m1', 'llo') });
      const e1subs =  '^----';
      const expected = '-x-y-';
      expectObservable(e1.pipe(accumulateText())).toBe(expected, {
        x: { messageId: 'm1', delta: 'He', text: 'He', final: false },
        y: { messageId: 'm1', delta: 'llo', text: 'Hello', final: false },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should allow unsubscribing early and explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--b--c--|', { a: delta('m1', 'a'), b: delta('m1', 'b'), c: delta('m1', 'c') });
      const unsub =   '-----!';
      const e1subs =  '^----!';
      const expected = '-x--y-';
      expectObservable(e1.pipe(accumulateText()), unsub).toBe(expected, {
        x: { messageId: 'm1', delta: 'a', text: 'a', final: false },
        y: { messageId: 'm1', delta: 'b', text: 'ab', final: false },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--b--c--|', { a: delta('m1', 'a'), b: delta('m1', 'b'), c: delta('m1', 'c') });
      const unsub =   '-----!';
      const e1subs =  '^----!';
      const expected = '-x--y-';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        accumulateText(),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe(expected, {
        x: { messageId: 'm1', delta: 'a', text: 'a', final: false },
        y: { messageId: 'm1', delta: 'b', text: 'ab', final: false },
      });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should error, and unsubscribe from the source, when the agents predicate throws', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--b--c--|', { a: delta('m1', 'a'), b: delta('s1', 'b', 'agent-1'), c: delta('m1', 'c') });
      const e1subs =  '^---!';
      const expected = '-x--#';
      const agents = (agentId: string | undefined): boolean => {
        if (agentId !== undefined) throw new Error('boom');
        return true;
      };
      expectObservable(e1.pipe(accumulateText({ agents }))).toBe(expected, { x: { messageId: 'm1', delta: 'a', text: 'a', final: false } }, new Error('boom'));
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const sideEffects: number[] = [];
    const synchronousObservable = new Observable<EventLike>((subscriber) => {
      // This checks whether the subscriber was closed on each loop: once `take` unsubscribes, it must be.
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next(delta('m1', 'x'));
      }
    });
    synchronousObservable.pipe(accumulateText(), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1, 2]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless(() => delta('m1', 'x'), accumulateText(), 3);
    const snapshot = (text: string) => ({ messageId: 'm1', delta: 'x', text, final: false });
    expect(run).toEqual({ pulled: 3, received: [snapshot('x'), snapshot('xx'), snapshot('xxx')], completed: true });
  });
});
