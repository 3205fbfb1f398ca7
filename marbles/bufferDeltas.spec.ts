import fc from 'fast-check';
import { mergeMap, Observable, of, Subject, take, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { bufferDeltas, type BufferDeltasConfig, type DeltaChunk } from '../packages/operators/src/bufferDeltas';
import type { EventLike } from '../packages/operators/src/events';
import { runEndless } from './synchronousSource';

const delta = (messageId: string, deltaContent: string, agentId?: string): EventLike => ({
  type: 'assistant.message_delta',
  ...(agentId === undefined ? {} : { agentId }),
  data: { messageId, deltaContent },
});
const message = (messageId: string, content = ''): EventLike => ({ type: 'assistant.message', data: { messageId, content } });
const event = (type: string): EventLike => ({ type, data: {} });

describe('bufferDeltas', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('coalesces the deltas of each window into one chunk and releases the rest at the message end', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions, time }) => {
      const timeMs = time('-----|');
      const values = { a: delta('m1', 'He'), b: delta('m1', 'llo'), c: delta('m1', ' wo'), d: delta('m1', 'rld'), m: message('m1', 'Hello world') };
      // prettier-ignore
      const e1 =  hot('-a-b-c--------d-m--|', values);
      //               -|----!       |----!    windows, each opened by a delta
      const e1subs =  '^------------------!';
      const expected = '------x---------y--|';
      expectObservable(e1.pipe(bufferDeltas({ timeMs }))).toBe(expected, { x: { messageId: 'm1', text: 'Hello wo' }, y: { messageId: 'm1', text: 'rld' } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('uses the given scheduler for its windows', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-b----|', { a: delta('m1', 'x'), b: delta('m1', 'y') });
      //               -|--!        window of 3 frames
      const expected = '----x---|';
      expectObservable(e1.pipe(bufferDeltas({ timeMs: 3, scheduler: testScheduler }))).toBe(expected, { x: { messageId: 'm1', text: 'xy' } });
    });
  });

  it('releases a buffer as soon as it holds maxChars', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-b-c-d-|', { a: delta('m1', 'abc'), b: delta('m1', 'de'), c: delta('m1', 'fghij'), d: delta('m1', 'k') });
      const expected = '---x-y---(z|)';
      expectObservable(e1.pipe(bufferDeltas({ timeMs: Infinity, maxChars: 4 }))).toBe(expected, {
        x: { messageId: 'm1', text: 'abcde' },
        y: { messageId: 'm1', text: 'fghij' },
        z: { messageId: 'm1', text: 'k' },
      });
    });
  });

  it('cuts timed releases after the last word boundary; the rest waits for the next window', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const values = { a: delta('m1', 'Hello wor'), b: delta('m1', 'ld and'), m: message('m1') };
      // prettier-ignore
      const e1 = cold('-a-----b-----m-|', values);
      //               -|--!   |--!         windows of 3 frames
      const expected = '----x-----y--z-|';
      expectObservable(e1.pipe(bufferDeltas({ timeMs: 3, boundary: 'word' }))).toBe(expected, {
        x: { messageId: 'm1', text: 'Hello ' },
        y: { messageId: 'm1', text: 'world ' },
        z: { messageId: 'm1', text: 'and' },
      });
    });
  });

  it('cuts at the last newline with boundary line', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a----|', { a: delta('m1', 'one\ntwo\nthr') });
      //               -|--!      window of 3 frames
      const expected = '----x-(y|)';
      expectObservable(e1.pipe(bufferDeltas({ timeMs: 3, boundary: 'line' }))).toBe(expected, {
        x: { messageId: 'm1', text: 'one\ntwo\n' },
        y: { messageId: 'm1', text: 'thr' },
      });
    });
  });

  it('cuts at the last sentence end with boundary sentence', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a----|', { a: delta('m1', 'One. "Two!" Thr') });
      const expected = '----x-(y|)';
      expectObservable(e1.pipe(bufferDeltas({ timeMs: 3, boundary: 'sentence' }))).toBe(expected, {
        x: { messageId: 'm1', text: 'One. "Two!" ' },
        y: { messageId: 'm1', text: 'Thr' },
      });
    });
  });

  it('releases everything that waits on a size release without a boundary', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-b-|', { a: delta('m1', 'ab cd'), b: delta('m1', 'efgh') });
      const expected = '-x-y-|';
      expectObservable(e1.pipe(bufferDeltas({ timeMs: Infinity, maxChars: 5, boundary: 'word' }))).toBe(expected, {
        x: { messageId: 'm1', text: 'ab ' },
        y: { messageId: 'm1', text: 'cdefgh' },
      });
    });
  });

  it.each(['tool.execution_start', 'assistant.turn_end', 'assistant.idle', 'session.idle', 'session.error', 'abort'])('releases every buffer at %s', (type) => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-b-f-----|', { a: delta('m1', 'x'), b: delta('m2', 'y'), f: event(type) });
      const expected = '-----(xy)--|';
      expectObservable(e1.pipe(bufferDeltas({ timeMs: 100 }))).toBe(expected, { x: { messageId: 'm1', text: 'x' }, y: { messageId: 'm2', text: 'y' } });
    });
  });

  it('releases only the ended message at assistant.message', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-b-m-----|', { a: delta('m1', 'x'), b: delta('m2', 'y'), m: message('m2') });
      const expected = '-----y-----(x|)';
      expectObservable(e1.pipe(bufferDeltas({ timeMs: 100 }))).toBe(expected, { x: { messageId: 'm1', text: 'x' }, y: { messageId: 'm2', text: 'y' } });
    });
  });

  it('reads only the main agent by default and tags sub-agent chunks with agents: all', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-b-|', { a: delta('m1', 'x'), b: delta('s1', 'y', 'agent-1') });
      expectObservable(e1.pipe(bufferDeltas())).toBe('-----(x|)', { x: { messageId: 'm1', text: 'x' } });
      expectObservable(e1.pipe(bufferDeltas({ agents: 'all' }))).toBe('-----(xy|)', {
        x: { messageId: 'm1', text: 'x' },
        y: { messageId: 's1', agentId: 'agent-1', text: 'y' },
      });
    });
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = bufferDeltas({ timeMs: 3 });
      // prettier-ignore
      const e1 = cold('-a-b-|', { a: delta('m1', 'x'), b: delta('m1', 'y') });
      const expected = '----z|';
      expectObservable(e1.pipe(operator)).toBe(expected, { z: { messageId: 'm1', text: 'xy' } });
      expectObservable(e1.pipe(operator)).toBe(expected, { z: { messageId: 'm1', text: 'xy' } });
    });
  });

  it('emits one chunk for a single delta', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a---|', { a: delta('m1', 'x') });
      const e1subs =  '^----!';
      expectObservable(e1.pipe(bufferDeltas({ timeMs: 2 }))).toBe('---x-|', { x: { messageId: 'm1', text: 'x' } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not complete with a never source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('-');
      expectObservable(e1.pipe(bufferDeltas())).toBe('-');
      expectSubscriptions(e1.subscriptions).toBe('^');
    });
  });

  it('should complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<EventLike>('|');
      expectObservable(e1.pipe(bufferDeltas())).toBe('|');
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should release the buffers, then propagate a source error', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-#', { a: delta('m1', 'x') });
      const e1subs =  '^--!';
      expectObservable(e1.pipe(bufferDeltas({ timeMs: 100 }))).toBe('---(x#)', { x: { messageId: 'm1', text: 'x' } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep releasing windows with a never-ending source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a----b----', { a: delta('m1', 'x'), b: delta('m1', 'y') });
      const e1subs =  '^----------';
      expectObservable(e1.pipe(bufferDeltas({ timeMs: 2 }))).toBe('---x----y--', { x: { messageId: 'm1', text: 'x' }, y: { messageId: 'm1', text: 'y' } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should drop the buffers and cancel the window when unsubscribed early', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a---b--c-|', { a: delta('m1', 'x'), b: delta('m1', 'y'), c: delta('m1', 'z') });
      //              -|--!|--!           windows of 3 frames; the second is cancelled
      const unsub =   '------!';
      const e1subs =  '^-----!';
      const expected = '----x--';
      expectObservable(e1.pipe(bufferDeltas({ timeMs: 3 })), unsub).toBe(expected, { x: { messageId: 'm1', text: 'x' } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a---b--c-|', { a: delta('m1', 'x'), b: delta('m1', 'y'), c: delta('m1', 'z') });
      const unsub =   '------!';
      const e1subs =  '^-----!';
      const expected = '----x--';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        bufferDeltas({ timeMs: 3 }),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe(expected, { x: { messageId: 'm1', text: 'x' } });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should release the buffers, then error, when the agents predicate throws', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--b--c--|', { a: delta('m1', 'x'), b: delta('s1', 'y', 'agent-1'), c: delta('m1', 'z') });
      const e1subs =  '^---!';
      const expected = '----(x#)';
      const agents = (agentId: string | undefined): boolean => {
        if (agentId !== undefined) throw new Error('boom');
        return true;
      };
      expectObservable(e1.pipe(bufferDeltas({ timeMs: 100, agents }))).toBe(expected, { x: { messageId: 'm1', text: 'x' } }, new Error('boom'));
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('rejects a bad configuration with the bad value in the message', () => {
    expect(() => bufferDeltas({ timeMs: -1 })).toThrow('bufferDeltas timeMs must be a non-negative number. Got -1');
    expect(() => bufferDeltas({ maxChars: 0 })).toThrow('bufferDeltas maxChars must be at least 1. Got 0');
    expect(() => bufferDeltas({ boundary: 'para' as 'line' })).toThrow('Got para');
    expect(() => bufferDeltas({ boundary: 'toString' as 'line' })).toThrow('Got toString');
  });

  describe('property: the chunks of a message add up to its deltas, for any input and timing', () => {
    type Step =
      | { readonly kind: 'delta'; readonly id: string; readonly text: string }
      | { readonly kind: 'message'; readonly id: string }
      | { readonly kind: 'other'; readonly type: string };
    const text = fc.array(fc.constantFrom('a', 'b', ' ', '\n', '.', '!', '"', 'é', '🙂', '中'), { maxLength: 12 }).map((chars) => chars.join(''));
    const id = fc.constantFrom('m1', 'm2', 'm3');
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 8, arbitrary: fc.record({ kind: fc.constant('delta' as const), id, text }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('message' as const), id }) },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('other' as const),
          type: fc.constantFrom('tool.execution_start', 'session.idle', 'assistant.turn_end', 'assistant.streaming_delta'),
        }),
      },
    );
    const timeline = fc.array(fc.tuple(fc.nat({ max: 20 }), step), { maxLength: 60 });
    const config: fc.Arbitrary<BufferDeltasConfig> = fc.record(
      {
        timeMs: fc.oneof(fc.constant(Infinity), fc.nat({ max: 30 })),
        maxChars: fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 20 })),
        boundary: fc.constantFrom('none' as const, 'word' as const, 'line' as const, 'sentence' as const),
      },
      { requiredKeys: [] },
    );

    it('holds on completion and on error', () => {
      fc.assert(
        fc.property(timeline, config, fc.nat({ max: 40 }), fc.boolean(), (steps, cfg, endGap, fails) => {
          const scheduler = new VirtualTimeScheduler();
          const source = new Observable<EventLike>((subscriber) => {
            let at = 0;
            for (const [gap, s] of steps) {
              at += gap;
              const ev = s.kind === 'delta' ? delta(s.id, s.text) : s.kind === 'message' ? message(s.id) : event(s.type);
              scheduler.schedule(() => subscriber.next(ev), at);
            }
            scheduler.schedule(() => (fails ? subscriber.error(new Error('cut')) : subscriber.complete()), at + endGap);
          });
          const chunks: DeltaChunk[] = [];
          let ended = false;
          source.pipe(bufferDeltas({ ...cfg, scheduler })).subscribe({
            next: (chunk) => chunks.push(chunk),
            error: () => (ended = true),
            complete: () => (ended = true),
          });
          scheduler.flush();

          const streamed = new Map<string, string>();
          for (const [, s] of steps) if (s.kind === 'delta') streamed.set(s.id, (streamed.get(s.id) ?? '') + s.text);
          const released = new Map<string, string>();
          for (const chunk of chunks) released.set(chunk.messageId, (released.get(chunk.messageId) ?? '') + chunk.text);
          for (const [messageId, textOf] of streamed) if (textOf === '') streamed.delete(messageId);

          expect(ended).toBe(true);
          expect(chunks.every((chunk) => chunk.text !== '')).toBe(true);
          expect(released).toEqual(streamed);
        }),
        { numRuns: 300 },
      );
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
    // maxChars 1: every delta is released at once, so each one makes a chunk.
    synchronousObservable.pipe(bufferDeltas({ timeMs: Infinity, maxChars: 1 }), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1, 2]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless(() => delta('m1', 'x'), bufferDeltas({ timeMs: Infinity, maxChars: 1 }), 3);
    const chunk = { messageId: 'm1', text: 'x' };
    expect(run).toEqual({ pulled: 3, received: [chunk, chunk, chunk], completed: true });
  });

  it('should leave no window behind when the consumer leaves on a size release', () => {
    const scheduler = new VirtualTimeScheduler();
    // A live source: the teardown is in place before the delta arrives.
    const events = new Subject<EventLike>();
    const received: DeltaChunk[] = [];
    events.pipe(bufferDeltas({ timeMs: 5, maxChars: 3, boundary: 'word', scheduler }), take(1)).subscribe((chunk) => received.push(chunk));
    // Releases 'ab ' at once; 'cd' would wait for a window, but the consumer has left.
    events.next(delta('m1', 'ab cd'));
    expect(received).toEqual([{ messageId: 'm1', text: 'ab ' }]);
    expect(scheduler.actions).toEqual([]);
  });
});
