/**
 * An in-memory stand-in for the Copilot CLI, for core's unit tests: it frames JSON-RPC itself
 * (independently of vscode-jsonrpc), answers requests with scripted handlers and emits session
 * events with consistent envelopes. Not part of the published package.
 */
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Transport, TransportCloseInfo, TransportConnection } from '../transport/types';

type Json = Record<string, unknown>;
export type FakeHandler = (params: Json, cli: FakeCli) => unknown;

export interface ReceivedMessage {
  readonly id?: number | string;
  readonly method?: string;
  readonly params?: Json;
  readonly result?: unknown;
  readonly error?: { code: number; message: string };
}

export class FakeError {
  constructor(
    readonly code: number,
    readonly message: string,
  ) {}
}

export class FakeCli {
  readonly toClient = new PassThrough();
  readonly fromClient = new PassThrough();
  readonly received: ReceivedMessage[] = [];
  readonly #handlers = new Map<string, FakeHandler>();
  readonly #waiters: { predicate: (m: ReceivedMessage) => boolean; resolve: (m: ReceivedMessage) => void }[] = [];
  readonly #lastPersisted = new Map<string, string>();
  #buffer = Buffer.alloc(0);
  #nextServerRequestId = 1;
  #closeInfo!: (info: TransportCloseInfo) => void;
  readonly closed = new Promise<TransportCloseInfo>((resolve) => (this.#closeInfo = resolve));
  stderr = '';
  opened = 0;
  /** How the client ended the transport first, if it did. */
  endedBy: 'disposed' | 'killed' | undefined;

  constructor() {
    this.fromClient.on('data', (chunk: Buffer) => this.#read(chunk));
    this.handle('connect', () => ({ ok: true, protocolVersion: 3, version: 'fake' }));
    this.handle('session.create', (params) => ({ sessionId: params['sessionId'], workspacePath: '/workspace' }));
    this.handle('session.resume', (params) => ({ sessionId: params['sessionId'] }));
    this.handle('session.send', () => ({ messageId: randomUUID() }));
    this.handle('session.abort', () => ({ success: true }));
    this.handle('session.destroy', () => ({ success: true }));
    this.handle('runtime.shutdown', () => null);
    for (const method of [
      'session.permissions.handlePendingPermissionRequest',
      'session.tools.handlePendingToolCall',
      'session.ui.handlePendingAutoModeSwitch',
    ]) {
      this.handle(method, () => ({ success: true }));
    }
  }

  /**
   * A transport that connects a client to this fake. `pid` makes it look spawned (so `stop()` sends
   * `runtime.shutdown`); `opening` delays `open()` until it resolves, like a CLI being spawned.
   */
  transport(options: { readonly pid?: number; readonly opening?: Promise<void> } = {}): Transport {
    return {
      kind: 'streams',
      open: async () => {
        this.opened++;
        await options.opening;
        const connection: TransportConnection = {
          readable: this.toClient,
          writable: this.fromClient,
          closed: this.closed,
          ...(options.pid !== undefined && { pid: options.pid }),
          description: 'fake CLI',
          stderrTail: () => this.stderr,
          dispose: async () => {
            this.endedBy ??= 'disposed';
            this.exit({ reason: 'disposed', exitCode: 0, signal: null });
          },
          kill: () => {
            this.endedBy ??= 'killed';
            this.exit({ reason: 'killed', exitCode: null, signal: 'SIGKILL' });
          },
        };
        return connection;
      },
    };
  }

  handle(method: string, handler: FakeHandler): void {
    this.#handlers.set(method, handler);
  }

  /** Emits one `session.event`, with an id, a timestamp and a parentId chained like the CLI's. */
  emit(sessionId: string, type: string, data: Json = {}, envelope: Json = {}): Json {
    const ephemeral = envelope['ephemeral'] === true;
    const event: Json = {
      id: randomUUID(),
      timestamp: new Date(0).toISOString(),
      parentId: this.#lastPersisted.get(sessionId) ?? null,
      type,
      data,
      ...envelope,
    };
    if (!ephemeral) this.#lastPersisted.set(sessionId, event['id'] as string);
    this.notify('session.event', { sessionId, event });
    return event;
  }

  /**
   * Answers every `session.send` of the session with a turn that starts streaming and never ends (no
   * `session.idle`): for specs about what happens when the consumer walks away mid-turn.
   */
  streamEndlessTurns(sessionId: string): void {
    this.handle('session.send', () => {
      setImmediate(() => {
        this.emit(sessionId, 'user.message', { content: 'hi' });
        this.emit(sessionId, 'assistant.message_delta', { messageId: 'm', deltaContent: 'Hel' }, { ephemeral: true });
      });
      return { messageId: 'm' };
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Sends a server→client request and resolves with the client's answer message. */
  request(method: string, params: unknown): Promise<ReceivedMessage> {
    const id = this.#nextServerRequestId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return this.next((m) => m.id === id && m.method === undefined);
  }

  send(message: Json): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.toClient.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.toClient.write(body);
  }

  /** Resolves with the next (or an already received) message that matches. */
  next(predicate: (m: ReceivedMessage) => boolean): Promise<ReceivedMessage> {
    const seen = this.received.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ predicate, resolve }));
  }

  requestsOf(method: string): ReceivedMessage[] {
    return this.received.filter((m) => m.method === method);
  }

  nextRequest(method: string): Promise<ReceivedMessage> {
    return this.next((m) => m.method === method);
  }

  /** Simulates the CLI going away. */
  exit(info: TransportCloseInfo): void {
    this.toClient.end();
    this.#closeInfo(info);
  }

  #read(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.#buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.#buffer.length < headerEnd + 4 + length) return;
      const body = this.#buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.#buffer = this.#buffer.subarray(headerEnd + 4 + length);
      this.#receive(JSON.parse(body) as ReceivedMessage);
    }
  }

  #receive(message: ReceivedMessage): void {
    this.received.push(message);
    for (const waiter of [...this.#waiters]) {
      if (waiter.predicate(message)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
    if (message.method === undefined || message.id === undefined) return;
    const handler = this.#handlers.get(message.method);
    const id = message.id;
    if (!handler) {
      this.send({ jsonrpc: '2.0', id, error: { code: -32601, message: `Unhandled method ${message.method}` } });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.params ?? {}, this))
      .then(
        (result) => {
          if (result === NO_ANSWER) return;
          this.send({ jsonrpc: '2.0', id, result: result ?? null });
        },
        (error: unknown) => {
          const { code, message: text } =
            error instanceof FakeError ? error : { code: -32603, message: String(error) };
          this.send({ jsonrpc: '2.0', id, error: { code, message: text } });
        },
      );
  }
}

/** Returned by a handler that never answers (to test hangs and closures). */
export const NO_ANSWER = Symbol('no answer');
