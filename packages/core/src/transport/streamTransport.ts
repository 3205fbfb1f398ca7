/**
 * Any Readable/Writable pair as a transport: for tests, in-process servers and custom channels
 * (a WebSocket bridge, an SSH stream). The caller owns what lies behind the streams.
 */
import type { Readable, Writable } from 'node:stream';
import { openOnce } from './openOnce.js';
import type { Transport, TransportCloseInfo } from './types.js';

/** The streams to speak over. */
export interface StreamTransportOptions {
  /** Bytes from the CLI. */
  readonly readable: Readable;
  /** Bytes to the CLI. */
  readonly writable: Writable;
  /** For messages. Default: "a stream pair". */
  readonly description?: string;
  /** When the channel is gone, if the caller knows better than the readable's end (e.g. an exit code). */
  readonly closed?: Promise<TransportCloseInfo>;
}

/**
 * Speaks over the given streams. `closed` resolves when the readable ends, closes or fails, or when
 * the given `closed` promise resolves, whichever comes first. `dispose()` ends the writable and
 * destroys the readable; `kill()` destroys both.
 *
 * @throws TypeError when `readable` or `writable` is not a stream.
 */
export function streamTransport(options: StreamTransportOptions): Transport {
  const { readable, writable, description = 'a stream pair' } = options;
  if (!isReadable(readable)) throw new TypeError('streamTransport readable must be a Readable stream');
  if (!isWritable(writable)) throw new TypeError('streamTransport writable must be a Writable stream');
  return openOnce('streams', async () => {
    const gone = readableGone(readable);
    const closed = options.closed ? Promise.race([options.closed, gone]) : gone;
    return {
      readable,
      writable,
      closed,
      description,
      stderrTail: () => '',
      // Not waiting for 'finish': a writable whose peer stopped reading would never get there.
      dispose: async () => {
        writable.end();
        readable.destroy();
      },
      kill: () => {
        writable.destroy();
        readable.destroy();
      },
    };
  });
}

function readableGone(readable: Readable): Promise<TransportCloseInfo> {
  return new Promise((resolve) => {
    const report = (reason: string) => resolve({ reason, exitCode: null, signal: null });
    if (readable.readableEnded) return report('the stream ended');
    if (readable.destroyed) return report('the stream closed');
    readable.once('end', () => report('the stream ended'));
    readable.once('close', () => report('the stream closed'));
    // The listener also keeps a failing stream from crashing the app; the error is the close reason.
    readable.on('error', (error: Error) => report(`the stream failed: ${error.message}`));
  });
}

function isReadable(value: unknown): value is Readable {
  return typeof (value as Readable | undefined)?.on === 'function' && typeof (value as Readable).read === 'function';
}

function isWritable(value: unknown): value is Writable {
  return typeof (value as Writable | undefined)?.on === 'function' && typeof (value as Writable).write === 'function';
}
