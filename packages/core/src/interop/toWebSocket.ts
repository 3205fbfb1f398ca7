import type { Observable, Subscription } from 'rxjs';
import { BufferOverflowError } from './BufferOverflowError.js';
import { errorPayload, type ErrorPayload } from './errorPayload.js';
import type { StreamOutcome } from './StreamOutcome.js';

/**
 * The parts of a server-side WebSocket used here: the `ws` package's `WebSocket` fits as it is, so
 * core needs no WebSocket dependency.
 */
export interface WebSocketLike {
  /** 1 is OPEN; anything above means closing or closed. */
  readonly readyState: number;
  /** Bytes queued by the socket and not yet written to the network. */
  readonly bufferedAmount: number;
  /** `callback` runs once the message is written (or failed). */
  send(data: string, callback?: (error?: Error) => void): void;
  close(code?: number, reason?: string): void;
  /** Drops the connection without a close handshake (`ws` has it; used when the peer stalled). */
  terminate?(): void;
  on(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

export interface WebSocketConfig<T> {
  /** The message of a value. Default: `JSON.stringify`. */
  readonly serialize?: (value: T) => string;
  /** Sent before the close when the Observable errors. Default: none (the close reason says it). */
  readonly errorMessage?: (error: ErrorPayload) => string;
  /** Close the socket (code 1000) when the Observable completes. Default `true`. */
  readonly closeOnComplete?: boolean;
  /** Stop handing messages to the socket while its `bufferedAmount` is at least this. Default 1 MiB. */
  readonly highWaterMark?: number;
  /** Bytes held for a peer that reads too slowly, beyond the socket's own buffer, before it is dropped. Default 8 MiB. */
  readonly maxBufferedBytes?: number;
}

const OPEN = 1;
/** RFC 6455: 1000 normal, 1008 policy violation (the peer stalled), 1011 the server hit an error. */
const NORMAL = 1000;
const STALLED = 1008;
const SERVER_ERROR = 1011;
/** A close reason must fit in 123 bytes of UTF-8. */
const MAX_REASON_BYTES = 123;

function closeReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason) > MAX_REASON_BYTES) reason = reason.slice(0, -1);
  return reason;
}

/**
 * Streams an Observable to a WebSocket, one message a value.
 *
 * Subscribes at once; on completion closes the socket with 1000 (unless `closeOnComplete: false`);
 * on error closes it with 1011 and the error's message as the reason (optionally after an
 * `errorMessage`).
 *
 * ```
 * source: --a---b--|
 * socket: --A---B--(close 1000)       A = JSON.stringify(a)
 * ```
 *
 * Backpressure: while the socket's `bufferedAmount` is at or above `highWaterMark`, messages wait in
 * a queue and go out as the socket's send callbacks report progress; more than `maxBufferedBytes`
 * waiting drops the peer (terminate, or close 1008) and resolves `overflowed`. Teardown: the socket
 * closing unsubscribes, which aborts a running turn. The promise never rejects.
 *
 * ## Example
 * ```ts
 * import { WebSocketServer } from 'ws';
 * new WebSocketServer({ host: '127.0.0.1', port: 8080 }).on('connection', (socket) => {
 *   socket.once('message', (prompt) => void toWebSocket(session.send({ prompt: String(prompt) }), socket));
 * });
 * ```
 *
 * @see toServerSentEvents
 * @param source The values to send; subscribed once, here.
 * @param socket An open WebSocket (`ws`).
 * @param config Serialisation, completion and buffer limits.
 * @return A promise of how the stream ended.
 */
export function toWebSocket<T>(source: Observable<T>, socket: WebSocketLike, config: WebSocketConfig<T> = {}): Promise<StreamOutcome> {
  const { serialize = JSON.stringify, errorMessage, closeOnComplete = true, highWaterMark = 1024 * 1024, maxBufferedBytes = 8 * 1024 * 1024 } = config;

  return new Promise<StreamOutcome>((resolve) => {
    // Messages waiting for the socket's buffer to go down; `head` avoids O(n) shifts.
    let queue: (string | undefined)[] = [];
    let head = 0;
    let queuedBytes = 0;
    let settled = false;
    let subscription: Subscription | undefined;

    const settle = (outcome: StreamOutcome): void => {
      if (settled) return;
      settled = true;
      subscription?.unsubscribe();
      socket.off('close', onClose);
      resolve(outcome);
    };
    const onClose = (): void => settle({ reason: 'disconnected' });

    const onSent = (error?: Error): void => {
      // A failed send means the socket is going away; its 'close' settles the stream.
      if (error === undefined && !settled) pump();
    };
    const pump = (): void => {
      while (head < queue.length && socket.bufferedAmount < highWaterMark && socket.readyState === OPEN) {
        const message = queue[head]!;
        queue[head++] = undefined;
        queuedBytes -= Buffer.byteLength(message);
        socket.send(message, onSent);
      }
      if (head === queue.length) {
        queue = [];
        head = 0;
      }
    };
    const send = (message: string): void => {
      if (head === queue.length && socket.bufferedAmount < highWaterMark) {
        socket.send(message, onSent);
        return;
      }
      queuedBytes += Buffer.byteLength(message);
      if (queuedBytes > maxBufferedBytes) {
        queue = [];
        settle({ reason: 'overflowed', error: new BufferOverflowError('toWebSocket', maxBufferedBytes, 'bytes') });
        // A close handshake would wait behind the stalled data: drop the connection outright.
        if (socket.terminate) socket.terminate();
        else socket.close(STALLED, 'The client read too slowly');
        return;
      }
      queue.push(message);
    };
    // What is still queued is bounded, so the socket may take it all before the close frame.
    const flushAll = (): void => {
      for (let i = head; i < queue.length; i++) socket.send(queue[i]!, onSent);
      queue = [];
      head = 0;
    };

    if (socket.readyState !== OPEN) {
      resolve({ reason: 'disconnected' });
      return;
    }
    socket.on('close', onClose);
    subscription = source.subscribe({
      next: (value) => {
        if (settled) return;
        let message: string;
        try {
          message = serialize(value);
        } catch (error) {
          subscription?.unsubscribe();
          fail(error);
          return;
        }
        send(message);
      },
      error: (error: unknown) => fail(error),
      complete: () => {
        if (settled) return;
        flushAll();
        settle({ reason: 'completed' });
        if (closeOnComplete) socket.close(NORMAL, 'complete');
      },
    });
    if (settled) subscription.unsubscribe();

    function fail(error: unknown): void {
      if (settled) return;
      flushAll();
      const payload = errorPayload(error);
      if (errorMessage) socket.send(errorMessage(payload));
      settle({ reason: 'errored', error });
      socket.close(SERVER_ERROR, closeReason(payload.message));
    }
  });
}
