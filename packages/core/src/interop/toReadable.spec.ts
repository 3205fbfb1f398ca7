import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { concat, of, Subject, throwError } from 'rxjs';
import { BufferOverflowError } from './BufferOverflowError';
import { toReadable } from './toReadable';
import { watched } from '../testSupport/watched';


async function readAll(readable: AsyncIterable<unknown>): Promise<unknown[]> {
  const chunks: unknown[] = [];
  for await (const chunk of readable) chunks.push(chunk);
  return chunks;
}

describe('toReadable', () => {
  it('streams NDJSON lines by default and ends when the Observable completes', async () => {
    const readable = toReadable(of({ type: 'a' }, { type: 'b' }));
    readable.setEncoding('utf8');
    expect((await readAll(readable)).join('')).toBe('{"type":"a"}\n{"type":"b"}\n');
  });

  it('streams the values themselves in object mode', async () => {
    expect(await readAll(toReadable(of({ n: 1 }, 'two', 3), { objectMode: true }))).toEqual([{ n: 1 }, 'two', 3]);
  });

  it('subscribes on the first read, not before', async () => {
    const { source, subscriptions } = watched(of(1));
    const readable = toReadable(source, { objectMode: true });
    expect(subscriptions()).toBe(0);
    expect(await readAll(readable)).toEqual([1]);
    expect(subscriptions()).toBe(1);
  });

  it('pushes only while the Readable asks for more; the rest waits in order for the next read', async () => {
    const source = new Subject<number>();
    const readable = toReadable(source, { objectMode: true, highWaterMark: 2 });
    readable.read(0); // the first read subscribes
    for (let i = 0; i < 10; i++) source.next(i);
    await new Promise(setImmediate);
    expect(readable.readableLength).toBe(2);
    source.complete();
    expect(await readAll(readable)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('destroys the stream with a BufferOverflowError when more than maxBuffered values wait, and unsubscribes', async () => {
    const subject = new Subject<number>();
    const { source, unsubscribed } = watched(subject);
    const readable = toReadable(source, { objectMode: true, highWaterMark: 1, maxBuffered: 3 });
    readable.read(0);
    for (let i = 0; i < 5; i++) subject.next(i);
    await expect(readAll(readable)).rejects.toBeInstanceOf(BufferOverflowError);
    expect(unsubscribed()).toBe(true);
  });

  it('delivers the values before an error, then fails with it', async () => {
    const readable = toReadable(concat(of(1, 2), throwError(() => new Error('boom'))), { objectMode: true });
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const value of readable) seen.push(value);
      })(),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([1, 2]);
  });

  it('unsubscribes when the pipeline downstream fails', async () => {
    const subject = new Subject<number>();
    const { source, unsubscribed } = watched(subject);
    const failing = new Writable({
      objectMode: true,
      write(_chunk, _encoding, callback) {
        callback(new Error('disk full'));
      },
    });
    const done = pipeline(toReadable(source, { objectMode: true }), failing);
    await new Promise(setImmediate);
    subject.next(1);
    await expect(done).rejects.toThrow('disk full');
    expect(unsubscribed()).toBe(true);
  });

  it('fails on null in object mode (it would end the stream) instead of ending early', async () => {
    await expect(readAll(toReadable(of(1, null, 2), { objectMode: true }))).rejects.toMatchObject({ code: 'ERR_STREAM_NULL_VALUES' });
  });
});
