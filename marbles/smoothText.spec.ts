import fc from 'fast-check';
import { mergeMap, Observable, of, Subject, take, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { smoothText, type SmoothTextConfig } from '../packages/operators/src/smoothText';
import { runEndless } from './synchronousSource';

describe('smoothText', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('emits a word per pause and the unfinished word when the source completes', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 =  hot('-a--------|', { a: 'one two three' });
      //               -|--|--!          the pause after each piece
      const e1subs =  '^---------!';
      const expected = '-x--y-----(z|)';
      expectObservable(e1.pipe(smoothText({ delayMs: 3 }))).toBe(expected, { x: 'one ', y: 'two ', z: 'three' });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('keeps the pace of buffered pieces after the source completes', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-(a|)', { a: 'a b c ' });
      //               -|--|--!
      const e1subs =  '^!';
      const expected = '-x--y--(z|)';
      expectObservable(e1.pipe(smoothText({ delayMs: 3 }))).toBe(expected, { x: 'a ', y: 'b ', z: 'c ' });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('joins small deltas into whole words', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-b-c-d-|', { a: 'He', b: 'llo ', c: 'wor', d: 'ld\n' });
      const expected = '---x---y-|';
      expectObservable(e1.pipe(smoothText({ delayMs: 1 }))).toBe(expected, { x: 'Hello ', y: 'world\n' });
    });
  });

  it('cuts lines with chunking line', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-----|', { a: 'one\ntwo\n\nthree' });
      const expected = '-x-y---(z|)';
      expectObservable(e1.pipe(smoothText({ chunking: 'line', delayMs: 2 }))).toBe(expected, { x: 'one\n', y: 'two\n\n', z: 'three' });
    });
  });

  it('cuts at a RegExp, even a global one', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-----|', { a: 'a,b,c' });
      const expected = '-x-y---(z|)';
      expectObservable(e1.pipe(smoothText({ chunking: /,/g, delayMs: 2 }))).toBe(expected, { x: 'a,', y: 'b,', z: 'c' });
    });
  });

  it('cuts with a chunking function', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-----|', { a: 'abcde' });
      const expected = '-x-y---(z|)';
      const twoChars = (buffer: string) => (buffer.length >= 2 ? buffer.slice(0, 2) : null);
      expectObservable(e1.pipe(smoothText({ chunking: twoChars, delayMs: 2 }))).toBe(expected, { x: 'ab', y: 'cd', z: 'e' });
    });
  });

  it('emits every whole piece at once with delayMs 0', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-------|', { a: 'a b c' });
      const expected = '-(xy)----(z|)';
      expectObservable(e1.pipe(smoothText({ delayMs: 0 }))).toBe(expected, { x: 'a ', y: 'b ', z: 'c' });
    });
  });

  it('emits a single piece for a single word', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a--|', { a: 'hi ' });
      const e1subs =  '^---!';
      expectObservable(e1.pipe(smoothText({ delayMs: 1 }))).toBe('-x--|', { x: 'hi ' });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('reusing one operator instance for two subscriptions gives independent state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const operator = smoothText({ delayMs: 2 });
      // prettier-ignore
      const e1 = cold('-a-b-|', { a: 'on', b: 'e two' });
      const expected = '---x-(y|)';
      expectObservable(e1.pipe(operator)).toBe(expected, { x: 'one ', y: 'two' });
      expectObservable(e1.pipe(operator)).toBe(expected, { x: 'one ', y: 'two' });
    });
  });

  it('should not complete with a never source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<string>('-');
      expectObservable(e1.pipe(smoothText())).toBe('-');
      expectSubscriptions(e1.subscriptions).toBe('^');
    });
  });

  it('should complete with an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold<string>('|');
      expectObservable(e1.pipe(smoothText())).toBe('|');
      expectSubscriptions(e1.subscriptions).toBe('(^!)');
    });
  });

  it('should emit everything buffered at once, then propagate a source error', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-#', { a: 'one two thr' });
      const e1subs =  '^--!';
      const expected = '-x-(y#)';
      expectObservable(e1.pipe(smoothText({ delayMs: 5 }))).toBe(expected, { x: 'one ', y: 'two thr' });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should keep pacing with a never-ending source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = cold('-a-----', { a: 'a b c ' });
      const e1subs =  '^------';
      expectObservable(e1.pipe(smoothText({ delayMs: 2 }))).toBe('-x-y-z-', { x: 'a ', y: 'b ', z: 'c ' });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should drop the buffer and cancel the pause when unsubscribed early', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a-------|', { a: 'a b c ' });
      const unsub =   '----!';
      const e1subs =  '^---!';
      expectObservable(e1.pipe(smoothText({ delayMs: 2 })), unsub).toBe('-x-y-', { x: 'a ', y: 'b ' });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chains when unsubscribed explicitly', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a-------|', { a: 'a b c ' });
      const unsub =   '----!';
      const e1subs =  '^---!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        smoothText({ delayMs: 2 }),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe('-x-y-', { x: 'a ', y: 'b ' });
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should error, and unsubscribe from the source, when the chunking function throws', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      // prettier-ignore
      const e1 = hot('-a--b--|', { a: 'ok', b: 'boom' });
      const e1subs =  '^---!';
      const chunking = (buffer: string) => {
        if (buffer.includes('boom')) throw new Error('boom');
        return buffer;
      };
      expectObservable(e1.pipe(smoothText({ chunking, delayMs: 1 }))).toBe('-x--#', { x: 'ok' }, new Error('boom'));
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should error when the chunking returns something that is not a non-empty prefix', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      // prettier-ignore
      const e1 = cold('-a-|', { a: 'abc' });
      expectObservable(e1.pipe(smoothText({ chunking: /x*/ }))).toBe(
        '-#',
        undefined,
        new TypeError('smoothText chunking must return a non-empty prefix of the buffer. Got "" for "abc"'),
      );
    });
  });

  it('quotes the buffer and what the chunking returned within bounds, however long the text', () => {
    const errors: unknown[] = [];
    const long = 'a'.repeat(1_000_000);
    of(long).pipe(smoothText({ chunking: () => `b${long}`, delayMs: 0 })).subscribe({ error: (err: unknown) => errors.push(err) });
    of('abc').pipe(smoothText({ chunking: () => [['a']] as unknown as string, delayMs: 0 })).subscribe({ error: (err: unknown) => errors.push(err) });
    const [tooLong, notText] = errors as TypeError[];
    expect(tooLong?.message).toBe(`smoothText chunking must return a non-empty prefix of the buffer. Got "b${'a'.repeat(79)}"… for "${'a'.repeat(80)}"…`);
    expect(notText?.message).toBe('smoothText chunking must return a non-empty prefix of the buffer. Got a value of type object for "abc"');
  });

  it('rejects a bad configuration with the bad value in the message', () => {
    expect(() => smoothText({ delayMs: -5 })).toThrow('smoothText delayMs must be a non-negative number. Got -5');
    expect(() => smoothText({ chunking: 'sentence' as 'line' })).toThrow('Got sentence');
    expect(() => smoothText({ chunking: 'toString' as 'line' })).toThrow('Got toString');
    expect(() => smoothText({ chunking: 42 as unknown as 'line' })).toThrow('Got 42');
  });

  it('property: the pieces add up to the input, for any chunking and timing', () => {
    const text = fc.array(fc.constantFrom('a', 'b', ' ', '\n', '.', '🙂'), { maxLength: 10 }).map((chars) => chars.join(''));
    const chunking = fc.constantFrom<SmoothTextConfig['chunking']>('word', 'line', /[.]/, (buffer: string) => buffer.slice(0, 3) || null);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 10 }), text), { maxLength: 30 }), chunking, fc.nat({ max: 5 }), fc.boolean(), (steps, chunks, delayMs, fails) => {
        const scheduler = new VirtualTimeScheduler();
        const source = new Observable<string>((subscriber) => {
          let at = 0;
          for (const [gap, piece] of steps) scheduler.schedule(() => subscriber.next(piece), (at += gap));
          scheduler.schedule(() => (fails ? subscriber.error(new Error('cut')) : subscriber.complete()), at + 1);
        });
        const pieces: string[] = [];
        let ended = false;
        source.pipe(smoothText({ chunking: chunks, delayMs, scheduler })).subscribe({
          next: (piece) => pieces.push(piece),
          error: () => (ended = true),
          complete: () => (ended = true),
        });
        scheduler.flush();
        expect(ended).toBe(true);
        expect(pieces.join('')).toBe(steps.map(([, piece]) => piece).join(''));
      }),
      { numRuns: 300 },
    );
  });

  it('should stop listening to a synchronous observable when unsubscribed', () => {
    const sideEffects: number[] = [];
    const synchronousObservable = new Observable<string>((subscriber) => {
      // This checks whether the subscriber was closed on each loop: once `take` unsubscribes, it must be.
      for (let i = 0; !subscriber.closed && i < 10; i++) {
        sideEffects.push(i);
        subscriber.next('w ');
      }
    });
    // delayMs 0: each whole word is emitted at once, so every text makes a piece.
    synchronousObservable.pipe(smoothText({ delayMs: 0 }), take(3)).subscribe();
    expect(sideEffects).toEqual([0, 1, 2]);
  });

  it('should stop an endless synchronous source when unsubscribed', () => {
    const run = runEndless(() => 'w ', smoothText({ delayMs: 0, scheduler: new VirtualTimeScheduler() }), 3);
    expect(run).toEqual({ pulled: 3, received: ['w ', 'w ', 'w '], completed: true });
  });

  it('should leave no pause behind when the consumer leaves on a piece', () => {
    const scheduler = new VirtualTimeScheduler();
    const received: string[] = [];
    // A live source: the teardown is in place before the text arrives.
    const texts = new Subject<string>();
    texts.pipe(smoothText({ delayMs: 5, scheduler }), take(1)).subscribe((piece) => received.push(piece));
    texts.next('one two ');
    expect(received).toEqual(['one ']);
    expect(scheduler.actions).toEqual([]);
  });
});
