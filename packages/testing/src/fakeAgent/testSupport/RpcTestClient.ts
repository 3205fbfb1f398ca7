/**
 * A deliberately small JSON-RPC client for the fake agent's own specs: it knows nothing of
 * `@copilot-rx/core`, so the fake is tested against the protocol rather than against the client it is
 * meant to test. Not exported from the package.
 */
import type { Readable, Writable } from 'node:stream';
import type { WireSessionEvent } from '../../marbles/eventStamper';
import { encodeFrame, FrameDecoder } from '../rpc/framing';

export interface ReceivedMessage {
  readonly id?: number | string | null;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string };
}

/** A JSON-RPC error answer, as a rejection. */
export class RpcResponseError extends Error {
  override readonly name = 'RpcResponseError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export class RpcTestClient {
  readonly #writable: Writable;
  readonly #decoder = new FrameDecoder();
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  readonly #waiters: { readonly predicate: (message: ReceivedMessage) => boolean; readonly resolve: (message: ReceivedMessage) => void }[] = [];
  #nextId = 0;
  readonly #methods = new Map<number | string, string>();
  /** Every message received, in wire order. */
  readonly received: ReceivedMessage[] = [];
  /** Resolves when the agent's stream ends. */
  readonly ended: Promise<void>;

  constructor(readable: Readable, writable: Writable) {
    this.#writable = writable;
    readable.on('data', (chunk: Buffer) => {
      for (const message of this.#decoder.push(chunk)) this.#onMessage(message as ReceivedMessage);
    });
    this.ended = new Promise((resolve) => {
      readable.on('end', () => resolve());
      readable.on('close', () => resolve());
    });
  }

  /** Sends a request; resolves with its result, rejects with `RpcResponseError`. */
  request(method: string, params: object = {}): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.sendRaw({ jsonrpc: '2.0', id, method, params });
    });
  }

  /** Writes any message as one frame (for malformed-input tests). */
  sendRaw(message: unknown): void {
    const { id, method } = (message ?? {}) as { id?: unknown; method?: unknown };
    if ((typeof id === 'number' || typeof id === 'string') && typeof method === 'string') this.#methods.set(id, method);
    this.#writable.write(encodeFrame(message));
  }

  /** Writes bytes as they are. */
  sendBytes(bytes: Buffer | string): void {
    this.#writable.write(bytes);
  }

  /** The session events received, optionally only those of one session. */
  events(sessionId?: string): WireSessionEvent[] {
    return this.received
      .filter((message) => message.method === 'session.event' && (sessionId === undefined || message.params?.['sessionId'] === sessionId))
      .map((message) => message.params?.['event'] as WireSessionEvent);
  }

  /** The first message (already received or coming) that matches. */
  waitFor(predicate: (message: ReceivedMessage) => boolean): Promise<ReceivedMessage> {
    const seen = this.received.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ predicate, resolve }));
  }

  /** The `count`-th event of `type` (1-based), received or coming. */
  async waitForEvent(type: string, count = 1): Promise<WireSessionEvent> {
    let seen = 0;
    const message = await this.waitFor((m) => m.method === 'session.event' && (m.params?.['event'] as WireSessionEvent).type === type && ++seen === count);
    return message.params?.['event'] as WireSessionEvent;
  }

  /**
   * The wire so far as short lines, for order assertions: `E <event type>`, `L <lifecycle type>`,
   * `N <other notification>`, `R <method answered>` / `X <method failed>`.
   */
  outline(filter: (line: string) => boolean = () => true): string[] {
    return this.received
      .map((message) => {
        if (message.method === 'session.event') return `E ${(message.params?.['event'] as WireSessionEvent).type}`;
        if (message.method === 'session.lifecycle') return `L ${String(message.params?.['type'])}`;
        if (message.method !== undefined) return `N ${message.method}`;
        const method = this.#methods.get(message.id ?? -1) ?? String(message.id);
        return message.error ? `X ${method}` : `R ${method}`;
      })
      .filter(filter);
  }

  #onMessage(message: ReceivedMessage): void {
    this.received.push(message);
    if (message.method === undefined && typeof message.id === 'number') {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error) pending?.reject(new RpcResponseError(message.error.code, message.error.message));
      else pending?.resolve(message.result);
    }
    for (let i = 0; i < this.#waiters.length; ) {
      const waiter = this.#waiters[i];
      if (waiter !== undefined && waiter.predicate(message)) {
        this.#waiters.splice(i, 1);
        waiter.resolve(message);
      } else {
        i++;
      }
    }
  }
}
