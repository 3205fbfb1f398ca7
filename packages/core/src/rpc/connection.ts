/**
 * The only module that imports vscode-jsonrpc. It owns one MessageConnection over a transport
 * connection and turns it into RxJS terms:
 *
 * - `notifications$`: every notification from the CLI, in wire order, through ONE Subject, so
 *   subscribers never displace one another (hot, multicast; a late subscriber starts from now).
 *   Notifications do not wait in vscode-jsonrpc's one-message-per-turn queue: `FastMessageReader`
 *   frames the bytes and delivers them synchronously, while requests and responses still go through
 *   vscode-jsonrpc, with wire order kept across both (see fastReader.ts for the exact guarantee).
 * - `malformed$`: frames and messages that could not be used (bad header, bad JSON, not JSON-RPC),
 *   each skipped and reported; the connection reads on.
 * - `request()`: a cold Observable that sends on subscribe and cancels on unsubscribe; `call()` is
 *   the Promise form for one-shot calls.
 * - `handleRequest()`: server→client requests by method; every other method is answered at once with
 *   a JSON-RPC "method not found" error, so the CLI is never left waiting.
 * - Closure: when the transport dies, every pending request and `notifications$` fail with
 *   `ConnectionClosedError` (exit code or signal, stderr tail) at once; `dispose()` completes them.
 */
import { Observable, Subject } from 'rxjs';
import {
  CancellationTokenSource,
  ConnectionError,
  ErrorCodes,
  ResponseError,
  StreamMessageWriter,
  createMessageConnection,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { ConnectionClosedError, RequestTimeoutError, RpcError } from '../errors.js';
import { quoteValue } from '../quoteValue.js';
import type { TransportCloseInfo, TransportConnection } from '../transport/types.js';
import { settlesWithin } from '../transport/settlesWithin.js';
import { FastMessageReader, type FastReaderConfig } from './fastReader.js';
import type { MalformedMessageError } from './malformed.js';
import type { RpcNotification } from './notification.js';

export type { RpcNotification } from './notification.js';

/** Answers one server→client request; a throw becomes a JSON-RPC error response. */
export type RpcRequestHandler = (params: unknown) => unknown;

/** Limits of the incoming side: message size, header size, bytes buffered before pausing the stream. */
export type RpcConnectionConfig = FastReaderConfig;

/** Per-request options of `request()` and `call()`. */
export interface RequestOptions {
  /**
   * Fail with RequestTimeoutError (and cancel on the wire) after this many ms; `Infinity`: never.
   * Default: no timeout.
   */
  readonly timeoutMs?: number;
}

/** Characters of a handler's error message an error reply carries (a decode error lists its paths). */
const MAX_REPLY_DETAIL = 1_000;

/** How long to wait for the transport's exit details once the stream itself has closed. */
const EXIT_DETAILS_GRACE_MS = 500;

export class RpcConnection {
  readonly #transport: TransportConnection;
  readonly #connection: MessageConnection;
  readonly #notifications = new Subject<RpcNotification>();
  readonly #malformed = new Subject<MalformedMessageError>();
  readonly #handlers = new Map<string, RpcRequestHandler>();
  readonly #pending = new Set<(error: Error) => void>();
  #closedError: ConnectionClosedError | undefined;
  #disposed = false;

  /** Every notification from the CLI, in wire order. Errors with ConnectionClosedError when the transport dies. */
  readonly notifications$: Observable<RpcNotification> = this.#notifications.asObservable();

  /** Frames and messages from the CLI that were skipped, and why. Completes when the connection ends. */
  readonly malformed$: Observable<MalformedMessageError> = this.#malformed.asObservable();

  /** Resolves with the closure error when the transport dies (not on `dispose()`). */
  readonly closed: Promise<ConnectionClosedError>;

  constructor(transport: TransportConnection, config: RpcConnectionConfig = {}) {
    this.#transport = transport;
    // The parsed message itself is the RpcNotification (it has `method` and `params`): no copy per event.
    const reader = new FastMessageReader(
      transport.readable,
      {
        notification: (message) => this.#notifications.next(message),
        malformed: (error) => this.#malformed.next(error),
      },
      config,
    );
    this.#connection = createMessageConnection(reader, new StreamMessageWriter(transport.writable), undefined, {
      messageStrategy: reader.messageStrategy,
    });

    // Only `$/` notifications vscode-jsonrpc does not implement itself reach this star handler; they
    // join the same Subject (their order relative to the fast path is not guaranteed: see fastReader.ts).
    this.#connection.onNotification((method, params) => {
      this.#notifications.next({ method, params });
    });
    this.#connection.onRequest((method, params) => this.#answer(method, params));
    // Errors while reading or writing are followed by close or by the transport's own exit; the
    // closure path below reports them, so nothing is logged or thrown here.
    this.#connection.onError(() => undefined);

    let signalClosed!: (error: ConnectionClosedError) => void;
    this.closed = new Promise((resolve) => (signalClosed = resolve));

    const onTransportClosed = (info: TransportCloseInfo) => {
      if (this.#closedError || this.#disposed) return;
      const error = new ConnectionClosedError(info.reason, info.exitCode, info.signal, transport.stderrTail());
      this.#closedError = error;
      for (const reject of this.#pending) reject(error);
      this.#pending.clear();
      this.#notifications.error(error);
      this.#malformed.complete();
      signalClosed(error);
      this.#connection.dispose();
    };
    // The reader closes once everything before the end of the stream was delivered: the frames it
    // held behind a response (the ordering barrier) and the report of a frame cut short. A transport
    // usually reports its closure on that same end of stream, so the closure waits for the reader
    // (bounded: a transport can close without its stream ever ending) instead of discarding them.
    let readerClosed!: () => void;
    const drained = new Promise<void>((resolve) => (readerClosed = resolve));
    void transport.closed.then(async (info) => {
      await settlesWithin(drained, EXIT_DETAILS_GRACE_MS);
      onTransportClosed(info);
    });
    // The stream can end before the process reports its exit; give the exit code a moment to arrive
    // so the error can say why, then fail everything anyway.
    this.#connection.onClose(() => {
      readerClosed();
      const fallback = { reason: 'the CLI closed the connection', exitCode: null, signal: null };
      const timer = setTimeout(() => onTransportClosed(fallback), EXIT_DETAILS_GRACE_MS);
      void transport.closed.then(() => clearTimeout(timer));
    });

    this.#connection.listen();
  }

  /** The closure error once the transport has died; undefined while it is alive. */
  get closedError(): ConnectionClosedError | undefined {
    return this.#closedError;
  }

  get transport(): TransportConnection {
    return this.#transport;
  }

  /**
   * Sends a request when subscribed; emits the raw result and completes. Unsubscribing cancels it.
   * With `timeoutMs`, a request still unanswered then fails with RequestTimeoutError and is cancelled
   * on the wire (`$/cancelRequest`); its late answer, if any, is ignored.
   */
  request(method: string, params: object = {}, options: RequestOptions = {}): Observable<unknown> {
    return new Observable<unknown>((subscriber) => {
      const cancellation = new CancellationTokenSource();
      let settled = false;
      let deadline: NodeJS.Timeout | undefined;
      const fail = (error: Error) => {
        settled = true;
        clearTimeout(deadline);
        subscriber.error(error);
      };
      if (this.#closedError) {
        fail(this.#closedError);
        return undefined;
      }
      if (this.#disposed) {
        fail(new ConnectionClosedError('the connection was stopped', null, null, ''));
        return undefined;
      }
      const { timeoutMs } = options;
      if (timeoutMs !== undefined && !(timeoutMs > 0)) {
        fail(new RangeError(`timeoutMs of ${method} must be a positive number of milliseconds (or Infinity). Got ${String(timeoutMs)}`));
        return undefined;
      }
      this.#pending.add(fail);
      // Infinity means no deadline (setTimeout would fire it at once).
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
        const sentAt = performance.now();
        // Unref'd: a pending request must not keep the host process alive on its own.
        deadline = setTimeout(() => {
          if (settled) return;
          this.#pending.delete(fail);
          cancellation.cancel();
          fail(new RequestTimeoutError(method, Math.round(performance.now() - sentAt)));
        }, timeoutMs).unref();
      }
      this.#send(method, params, cancellation).then(
        (result) => {
          if (settled) return;
          this.#pending.delete(fail);
          settled = true;
          clearTimeout(deadline);
          subscriber.next(result);
          subscriber.complete();
        },
        (error: unknown) => {
          if (settled) return;
          if (error instanceof ResponseError || this.#closedError || this.#disposed) {
            this.#pending.delete(fail);
            fail(this.#toError(method, error));
            return;
          }
          // vscode-jsonrpc rejects pending requests as the stream goes down, before the process has
          // reported its exit. Leave the request to the closure path, which fails it with a
          // ConnectionClosedError that says why; fall back to the raw error if no closure follows.
          setTimeout(() => {
            if (settled) return;
            this.#pending.delete(fail);
            fail(this.#toError(method, error));
          }, 2 * EXIT_DETAILS_GRACE_MS).unref();
        },
      );
      return () => {
        this.#pending.delete(fail);
        clearTimeout(deadline);
        if (!settled) {
          settled = true;
          cancellation.cancel();
        }
        cancellation.dispose();
      };
    });
  }

  /**
   * vscode-jsonrpc's `sendRequest`, always as a Promise: once the stream has closed it throws its own
   * ConnectionError synchronously, before this connection has reported the closure (that waits up to
   * EXIT_DETAILS_GRACE_MS for the exit details). As a rejection it takes the path of every other send
   * failing on a closing link, and ends as ConnectionClosedError.
   */
  #send(method: string, params: object, cancellation: CancellationTokenSource): Promise<unknown> {
    try {
      return this.#connection.sendRequest(method, params, cancellation.token);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The Promise form of `request()` for one-shot calls. */
  call(method: string, params: object = {}, options: RequestOptions = {}): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.request(method, params, options).subscribe({ next: resolve, error: reject });
    });
  }

  /** Installs the answer to one server→client request method (replacing an earlier one). */
  handleRequest(method: string, handler: RpcRequestHandler): void {
    this.#handlers.set(method, handler);
  }

  /** Releases the connection: pending requests fail, `notifications$` completes. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const error = this.#closedError ?? new ConnectionClosedError('the connection was stopped', null, null, '');
    for (const reject of this.#pending) reject(error);
    this.#pending.clear();
    if (!this.#closedError) this.#notifications.complete();
    this.#malformed.complete();
    this.#connection.dispose();
  }

  async #answer(method: string, params: unknown): Promise<unknown> {
    const handler = this.#handlers.get(method);
    if (!handler) {
      return new ResponseError(
        ErrorCodes.MethodNotFound,
        `copilot-rx does not handle the server request ${quoteValue(method)}; nothing registered an answer for it`,
      );
    }
    try {
      return await handler(params);
    } catch (error) {
      return new ResponseError(ErrorCodes.InternalError, `${method} failed in the client: ${describe(error)}`);
    }
  }

  #toError(method: string, error: unknown): Error {
    if (this.#closedError) return this.#closedError;
    if (error instanceof ResponseError) return new RpcError(method, error.code, error.message, error.data);
    if (this.#disposed) return new ConnectionClosedError('the connection was stopped', null, null, '');
    // vscode-jsonrpc's word for a closed or disposed stream, when no closure report followed it.
    if (error instanceof ConnectionError) {
      return new ConnectionClosedError(`the connection closed (${error.message})`, null, null, this.#transport.stderrTail());
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * What a handler threw, for the error reply the CLI gets: bounded, since a message may quote what the
 * CLI sent (a decode error) and anything can be thrown (a 20,000-level array, whose String() recurses).
 */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return quoteValue(error);
  const { message } = error;
  return message.length <= MAX_REPLY_DETAIL ? message : `${message.slice(0, MAX_REPLY_DETAIL)}…`;
}

