/**
 * A vscode-jsonrpc `MessageReader` that takes the notification firehose off vscode-jsonrpc's queue.
 *
 * vscode-jsonrpc's connection dispatches ONE incoming message per `setImmediate` turn and reads ahead
 * without backpressure, which caps a client at ~65k messages/s while its heap grows with the backlog.
 * This reader frames the bytes itself (`ContentLengthSplitter`) and:
 *
 * - hands notifications (`session.event`, `session.lifecycle`, ...) to `sink.notification`
 *   synchronously, as they are framed, in wire order;
 * - hands requests and responses to vscode-jsonrpc (the `listen` callback), which keeps doing what it
 *   is good at: correlation, cancellation, error responses;
 * - hands `$/` protocol notifications (`$/cancelRequest`, `$/progress`) to vscode-jsonrpc as well,
 *   once their params are checked (vscode-jsonrpc reads them unchecked: see protocolParams.ts);
 * - reports what it cannot use to `sink.malformed` and reads on.
 *
 * ISOLATION: each message is handled inside its own guard. Whatever a callback throws (the sink, a
 * Subject's subscriber, vscode-jsonrpc's listen callback) is reported as `delivery-failed` and the
 * next frame is read: nothing escapes the stream's `data` handler, where it would end the process
 * and lose the rest of the chunk. A sink that throws while a problem is being reported is the last
 * resort: that goes to the reader's `onError` event.
 *
 * STALLS: a lying `Content-Length` below `maxMessageBytes` swallows every later frame until the
 * claimed bytes are in. That cannot be told from a big frame arriving slowly, so it is not an error;
 * but when a body is still incomplete `stallReportMs` after more bytes began arriving for it, the
 * reader reports `stalled`, once per frame (a timer that is unref'd and cleared with the frame).
 *
 * ORDERING GUARANTEE (across both paths): messages are observed in wire order. When a request or a
 * response is framed, the reader hands it to vscode-jsonrpc and delivers NOTHING after it until
 * vscode-jsonrpc has dispatched it (`messageStrategy`, which the connection must be created with) and
 * one more macrotask has passed, so every promise continuation that dispatch set off (the `.then` of
 * `sendRequest`, the code after `await rpc.call(...)`, however many `await`s deep) has run. This is the
 * guarantee plain vscode-jsonrpc gives (protocol.md §6.3), kept; for a server→client request, its
 * handler has been called before any later notification is delivered. `$/` notifications take
 * vscode-jsonrpc's queue without a barrier: nothing a user observes depends on their order.
 *
 * BACKPRESSURE: while the reader waits on such a barrier, bytes that keep arriving are buffered up to
 * `highWaterMark`, then the stream is paused (a socket then stops reading and TCP pushes back on the
 * CLI) and resumed once the barrier is gone. Notifications themselves are delivered synchronously
 * from the `data` handler, so a slow subscriber slows the reading down instead of being read ahead of.
 */
import type { Readable } from 'node:stream';
import {
  AbstractMessageReader,
  Disposable,
  ErrorCodes,
  type DataCallback,
  type Message,
  type MessageStrategy,
} from 'vscode-jsonrpc/node';
import { quoteValue } from '../quoteValue.js';
import { kindOf, whyBadResponseError, whyMalformed } from './classify.js';
import { ContentLengthSplitter, type FrameSplitterConfig } from './frameSplitter.js';
import { MalformedMessageError, excerptOf } from './malformed.js';
import type { RpcNotification } from './notification.js';
import { whyBadProtocolParams } from './protocolParams.js';

/**
 * Where the reader delivers what does not go to vscode-jsonrpc. Called synchronously. Should not
 * throw; if `notification` does, the reader reports it as `delivery-failed` and reads on.
 */
export interface FastReaderSink {
  /** Every non-`$/` notification, in wire order, as parsed (it has `method` and `params`). */
  notification(message: RpcNotification): void;
  /** A frame or message that was skipped, and why. */
  malformed(error: MalformedMessageError): void;
}

export interface FastReaderConfig extends FrameSplitterConfig {
  /** Bytes buffered while waiting on vscode-jsonrpc before the stream is paused. Default: 1 MiB. */
  readonly highWaterMark?: number;
  /**
   * How long a body may stay incomplete while more bytes arrive before a `stalled` report (see
   * STALLS above). Default: 5000 ms. `Infinity` or 0 turns the report off.
   */
  readonly stallReportMs?: number;
}

export const DEFAULT_READER_HIGH_WATER_MARK = 1024 * 1024;
export const DEFAULT_STALL_REPORT_MS = 5000;

export class FastMessageReader extends AbstractMessageReader {
  readonly #readable: Readable;
  readonly #sink: FastReaderSink;
  readonly #splitter: ContentLengthSplitter;
  readonly #highWaterMark: number;
  readonly #stallReportMs: number;
  #callback: DataCallback | undefined;
  /** The request or response handed to vscode-jsonrpc and not yet released: the ordering barrier. */
  #awaiting: Message | undefined;
  #paused = false;
  #ended = false;
  #closed = false;
  #disposed = false;
  /** The stall watch: the frame (splitter's `headersRead`) being watched, 0 for none; its timer; the last one reported. */
  #stallFrame = 0;
  #stallTimer: NodeJS.Timeout | undefined;
  #stallReported = 0;

  /**
   * Pass as `ConnectionOptions.messageStrategy` to `createMessageConnection`: it tells the reader when
   * vscode-jsonrpc dispatches the message the reader is waiting on. Without it the reader would wait
   * forever after the first response.
   */
  readonly messageStrategy: MessageStrategy = {
    handleMessage: (message, next) => {
      try {
        return next(message);
      } finally {
        // A macrotask later, not a microtask: the promise chains the dispatch started must all have
        // run before the notifications that followed it on the wire are delivered.
        if (message === this.#awaiting) setImmediate(this.#release);
      }
    },
  };

  constructor(readable: Readable, sink: FastReaderSink, config: FastReaderConfig = {}) {
    super();
    this.#readable = readable;
    this.#sink = sink;
    this.#splitter = new ContentLengthSplitter(config);
    this.#highWaterMark = config.highWaterMark ?? DEFAULT_READER_HIGH_WATER_MARK;
    const stall = config.stallReportMs ?? DEFAULT_STALL_REPORT_MS;
    this.#stallReportMs = Number.isFinite(stall) && stall > 0 ? stall : 0;
  }

  /** Bytes received and not yet delivered (bounded by `highWaterMark` plus one chunk while paused). */
  get bufferedBytes(): number {
    return this.#splitter.bufferedBytes;
  }

  /** True while the stream is paused because vscode-jsonrpc has not caught up yet. */
  get paused(): boolean {
    return this.#paused;
  }

  listen(callback: DataCallback): Disposable {
    this.#callback = callback;
    this.#readable.on('data', this.#onData);
    this.#readable.on('end', this.#onEnd);
    this.#readable.on('close', this.#onEnd);
    this.#readable.on('error', this.#onError);
    // A 'data' listener does not start a stream that was paused explicitly (a transport may pause
    // its stream until someone reads it); buffered bytes would then sit there forever.
    if (this.#readable.readableFlowing === false) this.#readable.resume();
    return Disposable.create(() => this.#detach());
  }

  override dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#detach();
    this.#clearStallTimer();
    this.#splitter.clear();
    this.#awaiting = undefined;
    super.dispose();
  }

  readonly #onData = (chunk: Buffer | string): void => {
    this.#guarded(() => {
      this.#splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      this.#drain(true);
    });
  };

  readonly #onEnd = (): void => {
    this.#ended = true;
    this.#guarded(() => this.#drain());
  };

  readonly #onError = (error: Error): void => {
    if (!this.#disposed) this.fireError(error);
  };

  readonly #release = (): void => {
    this.#awaiting = undefined;
    this.#guarded(() => this.#drain());
  };

  /**
   * The last line of defence around each entry point (stream events, the barrier's release): every
   * message already has its own guard, so only the framing itself could throw here. Whatever it is,
   * it must not escape into the stream's event handler.
   */
  #guarded(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.#report(new MalformedMessageError('delivery-failed', `reading the stream threw: ${describe(error)}`, '', { cause: error }));
    }
  }

  /** Delivers what can be delivered now. `arrived`: new bytes came in (for the stall watch). */
  #drain(arrived = false): void {
    const callback = this.#callback;
    if (this.#disposed || callback === undefined) return;
    while (this.#awaiting === undefined) {
      const body = this.#splitter.next();
      if (body === undefined) break;
      if (typeof body === 'string') this.#deliver(body, callback);
      else this.#report(body);
      if (this.#disposed) return;
    }
    this.#watchForStall(arrived);
    this.#applyBackpressure();
    if (this.#ended && this.#awaiting === undefined) this.#finish();
  }

  /** Parses, classifies and hands on one body, inside its own guard (see ISOLATION above). */
  #deliver(body: string, callback: DataCallback): void {
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch (error) {
      this.#report(new MalformedMessageError('bad-json', describe(error), excerptOf(body)));
      return;
    }
    const kind = kindOf(message);
    try {
      switch (kind) {
        case 'notification':
          this.#sink.notification(message as RpcNotification);
          break;
        case 'rpc': {
          const handed = this.#usableResponse(message as Message, body);
          // Set before the call: vscode-jsonrpc never dispatches synchronously, but the barrier
          // must be in place whatever it does.
          this.#awaiting = handed;
          callback(handed);
          break;
        }
        case 'protocol': {
          const { method, params } = message as RpcNotification;
          const problem = whyBadProtocolParams(method, params);
          if (problem === undefined) callback(message as Message);
          else this.#report(new MalformedMessageError('bad-params', problem, excerptOf(body)));
          break;
        }
        case 'malformed':
          this.#report(new MalformedMessageError('not-json-rpc', whyMalformed(message), excerptOf(body)));
          break;
      }
    } catch (error) {
      // After a throw vscode-jsonrpc may never dispatch the message, and a barrier left up would
      // hold every later frame forever: lift it (only this message's ordering is lost).
      if (kind === 'rpc') this.#awaiting = undefined;
      const what = kind === 'notification' ? 'the notification' : 'the message to vscode-jsonrpc';
      this.#report(
        new MalformedMessageError('delivery-failed', `handing on ${what} threw: ${describe(error)}`, excerptOf(body), { cause: error }),
      );
    }
  }

  /**
   * The message itself, or, for a response whose `error` vscode-jsonrpc would choke on (see
   * `whyBadResponseError`), a report and a well-formed error response in its place: dropping it would
   * leave the request waiting forever, so it fails at once with the report's words instead.
   */
  #usableResponse(message: Message, body: string): Message {
    const problem = whyBadResponseError(message);
    if (problem === undefined) return message;
    this.#report(new MalformedMessageError('not-json-rpc', `${problem}; the request fails with this text instead`, excerptOf(body)));
    const { id } = message as { id?: unknown };
    return { jsonrpc: '2.0', id, error: { code: ErrorCodes.InternalError, message: `the CLI sent a malformed error response: ${problem}` } } as Message;
  }

  #report(error: MalformedMessageError): void {
    try {
      this.#sink.malformed(error);
    } catch (thrown) {
      // The report channel itself failed; the reader's error event is all that is left.
      this.fireError(thrown);
    }
  }

  /** Arms, or forgets, the stall report for the body being awaited (see STALLS above). */
  #watchForStall(arrived: boolean): void {
    if (this.#stallReportMs === 0) return;
    const frame = this.#splitter.awaitingBody ? this.#splitter.headersRead : 0;
    if (frame !== this.#stallFrame) {
      // Another body (or none) is awaited now. The bytes that brought its header do not count as
      // "more bytes arriving": the watch starts with the next chunk.
      this.#clearStallTimer();
      this.#stallFrame = frame;
      return;
    }
    if (frame === 0 || !arrived || this.#stallTimer !== undefined || this.#stallReported === frame) return;
    this.#stallTimer = setTimeout(this.#reportStall, this.#stallReportMs);
    this.#stallTimer.unref();
  }

  readonly #reportStall = (): void => {
    this.#stallTimer = undefined;
    const splitter = this.#splitter;
    if (this.#disposed || !splitter.awaitingBody || splitter.headersRead !== this.#stallFrame) return;
    this.#stallReported = this.#stallFrame;
    const claimed = splitter.awaitedBodyBytes;
    const hint = splitter.bufferedContainsHeader()
      ? 'The bytes received contain a frame header: the Content-Length probably lied, and the frames after it are'
      : 'If the Content-Length lied, the frames after it are';
    this.#report(
      new MalformedMessageError(
        'stalled',
        `a ${claimed}-byte body is still incomplete (${splitter.bufferedBytes} bytes of it in) ${this.#stallReportMs} ms after more ` +
          `bytes began arriving for it. ${hint} swallowed until the claimed bytes are in; maxMessageBytes bounds this`,
        '',
      ),
    );
  };

  #clearStallTimer(): void {
    if (this.#stallTimer === undefined) return;
    clearTimeout(this.#stallTimer);
    this.#stallTimer = undefined;
  }

  #applyBackpressure(): void {
    const behind = this.#awaiting !== undefined && this.#splitter.bufferedBytes >= this.#highWaterMark;
    if (behind && !this.#paused) {
      this.#paused = true;
      this.#readable.pause();
    } else if (!behind && this.#paused) {
      this.#paused = false;
      this.#readable.resume();
    }
  }

  /** The stream is over and everything before its end was delivered: report a cut frame, then close. */
  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearStallTimer();
    if (this.#splitter.midFrame) {
      const error = new MalformedMessageError(
        'truncated',
        `the stream ended inside a frame (${this.#splitter.bufferedBytes} bytes of it received)`,
        this.#splitter.excerpt(),
      );
      this.#splitter.clear();
      this.#report(error);
    }
    this.fireClose();
  }

  /**
   * Stops reading. The 'error' listener stays on purpose: a stream without one turns a late error
   * (the CLI's side writing after the end, ECONNRESET) into an uncaught exception that would crash the
   * app; after dispose such errors are moot, and the transport reports the closure itself.
   */
  #detach(): void {
    this.#readable.off('data', this.#onData);
    this.#readable.off('end', this.#onEnd);
    this.#readable.off('close', this.#onEnd);
  }
}

/** What was thrown, bounded: anything can be thrown, a 20,000-level array included. */
function describe(error: unknown): string {
  return error instanceof Error ? excerptOf(error.message) : quoteValue(error);
}
