import { concat, of, Subject, throwError } from 'rxjs';
import { CopilotRxClient } from '../client/CopilotRxClient';
import { FakeCli } from '../testSupport/fakeCli';
import { BufferOverflowError } from './BufferOverflowError';
import { toAsyncIterable } from './toAsyncIterable';
import { watched } from '../testSupport/watched';


describe('toAsyncIterable', () => {
  it('yields the values in order and ends the loop when the Observable completes', async () => {
    const seen: number[] = [];
    for await (const value of toAsyncIterable(of(1, 2, 3))) seen.push(value);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('yields values that arrive while the loop waits', async () => {
    const source = new Subject<string>();
    const iterator = toAsyncIterable(source)[Symbol.asyncIterator]();
    const first = iterator.next();
    source.next('a');
    await expect(first).resolves.toEqual({ value: 'a', done: false });
    const second = iterator.next();
    source.complete();
    await expect(second).resolves.toEqual({ value: undefined, done: true });
  });

  it('throws the error from the loop after the values before it', async () => {
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const value of toAsyncIterable(concat(of(1, 2), throwError(() => new Error('boom'))))) seen.push(value);
      })(),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([1, 2]);
  });

  it('subscribes once per loop, on its first next()', async () => {
    const { source, subscriptions } = watched(of(1));
    const iterable = toAsyncIterable(source);
    const iterator = iterable[Symbol.asyncIterator]();
    expect(subscriptions()).toBe(0);
    await iterator.next();
    for await (const _ of iterable) void _;
    expect(subscriptions()).toBe(2);
  });

  it('unsubscribes when the loop breaks', async () => {
    const subject = new Subject<number>();
    const { source, unsubscribed } = watched(subject);
    const loop = (async () => {
      for await (const value of toAsyncIterable(source)) if (value === 2) break;
    })();
    subject.next(1);
    await new Promise(setImmediate);
    expect(unsubscribed()).toBe(false);
    subject.next(2);
    await loop;
    expect(unsubscribed()).toBe(true);
  });

  it('fails the loop with a BufferOverflowError, after the buffered values, when the body falls bufferSize behind', async () => {
    const subject = new Subject<number>();
    const { source, unsubscribed } = watched(subject);
    const iterator = toAsyncIterable(source, { bufferSize: 2 })[Symbol.asyncIterator]();
    const first = iterator.next();
    for (let i = 0; i < 4; i++) subject.next(i);
    await expect(first).resolves.toEqual({ value: 0, done: false });
    await expect(iterator.next()).resolves.toEqual({ value: 1, done: false });
    await expect(iterator.next()).resolves.toEqual({ value: 2, done: false });
    await expect(iterator.next()).rejects.toBeInstanceOf(BufferOverflowError);
    expect(unsubscribed()).toBe(true);
    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('rejects a bufferSize below 1, quoting it', () => {
    expect(() => toAsyncIterable(of(1), { bufferSize: 0 })).toThrow('toAsyncIterable bufferSize must be at least 1. Got 0');
  });

  it('aborts the running turn on the CLI when the loop breaks early', async () => {
    const cli = new FakeCli();
    const client = new CopilotRxClient({ transport: cli.transport() });
    await client.start();
    const session = await client.createSession();
    cli.streamEndlessTurns(session.id);
    for await (const event of toAsyncIterable(session.send('hi'))) if (event.type === 'assistant.message_delta') break;
    expect((await cli.nextRequest('session.abort')).params).toEqual({ sessionId: session.id });
    await client.stop();
  });
});
