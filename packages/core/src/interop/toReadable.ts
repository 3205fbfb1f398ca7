import { Readable } from 'node:stream';
import type { Observable } from 'rxjs';
import { toAsyncIterable } from './toAsyncIterable.js';

export interface ReadableConfig<T> {
  /** Emit the values themselves (`true`), or text chunks made by `serialize` (`false`, default). */
  readonly objectMode?: boolean;
  /** The Readable's own buffer: values in object mode, bytes otherwise. Default: Node's (16 values / 64 KiB). */
  readonly highWaterMark?: number;
  /** The text chunk of a value when not in object mode. Default: one JSON line (NDJSON). */
  readonly serialize?: (value: T) => string;
  /** Values held beyond the Readable's buffer for a reader that does not pull, before the stream fails. Default 65 536. */
  readonly maxBuffered?: number;
}

const ndjson = (value: unknown): string => `${JSON.stringify(value)}\n`;

async function* serialized<T>(values: AsyncIterable<T>, serialize: (value: T) => string): AsyncGenerator<string> {
  for await (const value of values) yield serialize(value);
}

/**
 * An Observable as a Node Readable stream.
 *
 * Subscribes on the first read (a Readable nobody reads never subscribes); each value becomes a chunk
 * (the value itself in object mode, an NDJSON line otherwise); completion ends the stream; an error
 * destroys it with that error once the values before it have been read.
 *
 * ```
 * source:   --a--b--c--|
 * readable: --A--B--C--(end)          A = '{"…a…"}\n', or a itself in object mode
 * ```
 *
 * Backpressure is pull-based: the Readable takes a value only when its own buffer is below
 * `highWaterMark` (it is `Readable.from` over `toAsyncIterable`); the values it has not pulled yet
 * wait in order. An Observable cannot be paused, so more than `maxBuffered` waiting fails the stream
 * with a BufferOverflowError (after the values that fitted) instead of growing without bound.
 * Teardown: destroying the stream (or `pipeline()` failing downstream) unsubscribes, which aborts a
 * running turn. `null` cannot travel in object mode (it ends a Readable): Node then fails the stream
 * with ERR_STREAM_NULL_VALUES.
 *
 * ## Example
 * ```ts
 * await pipeline(toReadable(session.send({ prompt })), fs.createWriteStream('turn.ndjson'));
 * ```
 *
 * @see toAsyncIterable
 * @param source The values; subscribed on the first read.
 * @param config Object mode, buffer sizes and serialisation.
 * @return A Readable of the values.
 */
export function toReadable<T>(source: Observable<T>, config: ReadableConfig<T> = {}): Readable {
  const { objectMode = false, highWaterMark, serialize = ndjson, maxBuffered = 65_536 } = config;
  const values = toAsyncIterable(source, { bufferSize: maxBuffered });
  return Readable.from(objectMode ? values : serialized(values, serialize), {
    objectMode,
    ...(highWaterMark === undefined ? {} : { highWaterMark }),
  });
}
