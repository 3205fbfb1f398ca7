import type { ServerResponse } from 'node:http';
import { asyncScheduler, interval, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { BufferOverflowError } from './BufferOverflowError.js';
import { errorPayload } from './errorPayload.js';
import { formatServerSentEvent, HEARTBEAT_FRAME } from './serverSentEventFrame.js';
import type { StreamOutcome } from './StreamOutcome.js';

export interface ServerSentEventsConfig<T> {
  /** The `event:` name of a value. Default: its `type` field when that is a string (session events), else none. */
  readonly event?: (value: T) => string | undefined;
  /** The `id:` of a value. Default: none. */
  readonly id?: (value: T) => string | undefined;
  /** The `data:` of a value. Default: `JSON.stringify`. */
  readonly serialize?: (value: T) => string;
  /** Send a comment frame this often (ms), so proxies keep an idle stream open. Default: none. */
  readonly heartbeatMs?: number;
  /** The event sent when the Observable completes, so the browser can close instead of reconnecting. Default `'end'`; `null` sends none. */
  readonly completeEvent?: string | null;
  /** The event that carries `{ name, code?, message }` when the Observable errors. Default `'error'`; `null` sends none. */
  readonly errorEvent?: string | null;
  /** Bytes held for a client that reads too slowly, beyond what the socket buffers, before the connection is cut. Default 8 MiB. */
  readonly maxBufferedBytes?: number;
  /** Ends the stream from the server's side (the subscription is cancelled, the response ended). */
  readonly signal?: AbortSignal;
  /** Schedules heartbeats. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** The parts of `http.ServerResponse` used here (so an http2 compat response or a test double fits too). */
export type SseResponse = Pick<ServerResponse, 'write' | 'end' | 'destroy' | 'on' | 'once' | 'off' | 'headersSent' | 'writableEnded' | 'destroyed'> &
  Partial<Pick<ServerResponse, 'writeHead' | 'flushHeaders'>>;

const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

const typeOf = (value: unknown): string | undefined => {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : undefined;
};

/**
 * Streams an Observable to an HTTP response as Server-Sent Events.
 *
 * Subscribes at once and writes one `event:`/`data:` frame a value; on completion writes an `end`
 * event and ends the response; on error writes an `error` event with `{ name, code?, message }` (never
 * a stack) and ends the response.
 *
 * ```
 * source:   --a---b---c--|
 * response: --A---B---C--E|       A = "event: <a.type>\ndata: <json of a>\n\n", E = "event: end"
 * ```
 *
 * Backpressure: when `res.write()` returns false the following frames wait, concatenated, until
 * `'drain'`; more than `maxBufferedBytes` waiting cuts the connection (`overflowed`), because an
 * Observable cannot be paused and a stalled client must not hold unbounded memory. Teardown: the
 * client going away (`'close'` before the response ended) unsubscribes, and unsubscribing from
 * `session.send()` aborts the turn on the CLI. The returned promise never rejects; it says how the
 * stream ended. Headers (`text/event-stream`, `no-cache`) are written unless already sent.
 *
 * ## Example
 * ```ts
 * http.createServer(async (req, res) => {
 *   const outcome = await toServerSentEvents(session.send({ prompt: 'Hello' }), res, { heartbeatMs: 15_000 });
 *   log(outcome.reason); // 'completed' | 'errored' | 'disconnected' | 'overflowed' | 'aborted'
 * });
 * ```
 *
 * @see toWebSocket
 * @param source The values to stream; subscribed once, here.
 * @param res The response to write to.
 * @param config Event names, serialisation, heartbeats, buffer limit, abort signal.
 * @return A promise of how the stream ended.
 */
export function toServerSentEvents<T>(source: Observable<T>, res: SseResponse, config: ServerSentEventsConfig<T> = {}): Promise<StreamOutcome> {
  const {
    event = typeOf,
    id,
    serialize = JSON.stringify,
    heartbeatMs,
    completeEvent = 'end',
    errorEvent = 'error',
    maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES,
    signal,
    scheduler = asyncScheduler,
  } = config;

  return new Promise<StreamOutcome>((resolve) => {
    // Frames written while the socket is saturated, joined into one string (one write on 'drain').
    let waiting = '';
    let waitingBytes = 0;
    let saturated = false;
    let settled = false;
    let subscription: Subscription | undefined;
    let heartbeat: Subscription | undefined;

    const settle = (outcome: StreamOutcome): void => {
      if (settled) return;
      settled = true;
      // Cancel first: unsubscribing aborts a running turn, and nothing more may be written.
      subscription?.unsubscribe();
      heartbeat?.unsubscribe();
      res.off('close', onClose);
      res.off('drain', onDrain);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };

    const write = (frame: string): void => {
      if (settled) return;
      if (!saturated) {
        saturated = !res.write(frame);
        return;
      }
      waitingBytes += Buffer.byteLength(frame);
      if (waitingBytes > maxBufferedBytes) {
        waiting = '';
        settle({ reason: 'overflowed', error: new BufferOverflowError('toServerSentEvents', maxBufferedBytes, 'bytes') });
        res.destroy();
        return;
      }
      waiting += frame;
    };

    const onDrain = (): void => {
      saturated = false;
      if (waiting === '') return;
      const frames = waiting;
      waiting = '';
      waitingBytes = 0;
      saturated = !res.write(frames);
    };

    // Ends the response after whatever is still waiting: it is bounded, so Node may buffer it.
    const finish = (lastFrame: string | undefined, outcome: StreamOutcome): void => {
      if (settled) return;
      const rest = waiting + (lastFrame ?? '');
      waiting = '';
      settle(outcome);
      if (rest !== '') res.write(rest);
      res.end();
    };

    const onClose = (): void => {
      if (!res.writableEnded) settle({ reason: 'disconnected' });
    };
    const onAbort = (): void => finish(undefined, { reason: 'aborted' });

    if (signal?.aborted) {
      if (!res.headersSent) res.writeHead?.(204);
      res.end();
      resolve({ reason: 'aborted' });
      return;
    }
    if (res.destroyed) {
      resolve({ reason: 'disconnected' });
      return;
    }
    res.once('close', onClose);
    res.on('drain', onDrain);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (!res.headersSent) {
      res.writeHead?.(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // Stops nginx-style proxies from buffering the stream into one late response.
        'x-accel-buffering': 'no',
      });
      // The client sees the stream open (EventSource 'open') before the first value arrives.
      res.flushHeaders?.();
    }
    if (heartbeatMs !== undefined) heartbeat = interval(heartbeatMs, scheduler).subscribe(() => write(HEARTBEAT_FRAME));

    const frame = (data: string, name: string | null | undefined, frameId?: string): string =>
      formatServerSentEvent({ data, ...(name == null ? {} : { event: name }), ...(frameId === undefined ? {} : { id: frameId }) });

    subscription = source.subscribe({
      next: (value) => {
        let text: string;
        try {
          text = frame(serialize(value), event(value), id?.(value));
        } catch (error) {
          // A value that cannot be framed fails the stream with a clear error instead of corrupting it.
          finish(errorEvent === null ? undefined : frame(JSON.stringify(errorPayload(error)), errorEvent), { reason: 'errored', error });
          return;
        }
        write(text);
      },
      error: (error: unknown) =>
        finish(errorEvent === null ? undefined : frame(JSON.stringify(errorPayload(error)), errorEvent), { reason: 'errored', error }),
      complete: () => finish(completeEvent === null ? undefined : frame('{}', completeEvent), { reason: 'completed' }),
    });
    // A synchronous source may have settled during subscribe, before `subscription` was assigned.
    if (settled) subscription.unsubscribe();
  });
}
