/**
 * One client connection to the fake agent: reads framed JSON-RPC, checks the connection token,
 * dispatches requests to the method table and writes answers and notifications. Transports (memory,
 * TCP, stdio) only hand it a pair of streams and say how to cut it off.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { Observable, type Subscriber } from 'rxjs';
import { METHODS } from './methods/methodTable.js';
import type { AgentState } from './methods/MethodContext.js';
import { PROTOCOL_VERSION } from './methods/serverMethods.js';
import { encodeFrame, FrameDecoder, FramingError } from './rpc/framing.js';
import { classify, RpcError, RpcErrorCode, type RequestId, type RpcRequest, type RpcResponse } from './rpc/messages.js';
import { Params } from './rpc/params.js';
import type { EventSink } from './session/AgentContext.js';
import type { HandlerOutcome } from './session/pendingRequests.js';

export interface ConnectionSettings {
  readonly agent: AgentState;
  /** When set, `connect` must carry this token and nothing else is answered before it (§1.5). */
  readonly token: string | undefined;
  /** Cuts the connection off abruptly (a crash): the transport's way, e.g. destroying a socket. */
  readonly terminate: () => void;
  /** Called once, when the connection is gone. */
  readonly onClose: (connection: AgentConnection) => void;
}

export class AgentConnection implements EventSink {
  readonly #writable: Writable;
  readonly #settings: ConnectionSettings;
  readonly #decoder = new FrameDecoder();
  #authenticated: boolean;
  #open = true;
  /** Requests this agent sent the client (`hooks.invoke`), waiting for their responses, by id. */
  readonly #awaiting = new Map<RequestId, Subscriber<unknown>>();
  #nextRequestId = 1;
  #resolveClosed!: () => void;
  /** Resolves when the connection is gone, whichever side ended it. */
  readonly closed = new Promise<void>((resolve) => (this.#resolveClosed = resolve));

  constructor(readable: Readable, writable: Writable, settings: ConnectionSettings) {
    this.#writable = writable;
    this.#settings = settings;
    this.#authenticated = settings.token === undefined;
    readable.on('data', (chunk: Buffer) => this.#onData(chunk));
    readable.on('end', () => this.#close());
    readable.on('close', () => this.#close());
    // A reset socket or destroyed stream just ends the connection, like a client going away.
    readable.on('error', () => this.#close());
    writable.on('error', () => this.#close());
  }

  /** True after a successful `connect`, or always on a server without a token. */
  get authenticated(): boolean {
    return this.#authenticated;
  }

  get open(): boolean {
    return this.#open;
  }

  notify(method: string, params: object): void {
    this.#write({ jsonrpc: '2.0', method, params });
  }

  /**
   * Sends the client a request (as the CLI sends `hooks.invoke`) when subscribed; emits the result and
   * completes, or errors with the client's error (or when the connection closes first).
   */
  request(method: string, params: object): Observable<unknown> {
    return new Observable<unknown>((subscriber) => {
      if (!this.#open) return subscriber.error(new Error(`${method}: the client connection is closed`));
      const id = `fake-agent-${this.#nextRequestId++}`;
      this.#awaiting.set(id, subscriber);
      this.#write({ jsonrpc: '2.0', id, method, params });
      return () => this.#awaiting.delete(id);
    });
  }

  /** Ends the connection politely (the agent is shutting down). */
  end(): void {
    if (!this.#open) return;
    this.#writable.end();
    this.#close();
  }

  /** Cuts the connection off mid-stream (the agent crashed). */
  terminate(): void {
    if (!this.#open) return;
    this.#close();
    this.#settings.terminate();
  }

  #onData(chunk: Buffer): void {
    if (!this.#open) return;
    let messages: unknown[];
    try {
      messages = this.#decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof FramingError)) throw error;
      // The byte stream cannot be resynchronised: say why, then hang up.
      this.#respondError(null, new RpcError(RpcErrorCode.ParseError, error.message));
      this.end();
      return;
    }
    for (const message of messages) {
      if (!this.#open) return;
      this.#onMessage(message);
    }
  }

  #onMessage(value: unknown): void {
    const classified = classify(value);
    switch (classified.kind) {
      case 'invalid':
        this.#respondError(classified.id, new RpcError(RpcErrorCode.InvalidRequest, classified.reason));
        return;
      case 'request':
        this.#onRequest(classified.message);
        return;
      case 'response':
        this.#onResponse(classified.message);
        return;
      case 'notification':
        // The core flow has no client notifications.
        return;
    }
  }

  #onResponse(response: RpcResponse): void {
    const subscriber = response.id === null ? undefined : this.#awaiting.get(response.id);
    if (subscriber === undefined) return; // an answer to nothing this agent asked: ignored, as the CLI does
    this.#awaiting.delete(response.id as RequestId);
    if ('error' in response) subscriber.error(new Error(`the client answered with an error: ${response.error.message}`));
    else {
      subscriber.next(response.result);
      subscriber.complete();
    }
  }

  #onRequest(request: RpcRequest): void {
    let outcome: HandlerOutcome;
    try {
      outcome = this.#handle(request);
    } catch (error) {
      this.#respondError(request.id, toRpcError(request.method, error));
      return;
    }
    this.#write({ jsonrpc: '2.0', id: request.id, result: outcome.result });
    outcome.then?.();
  }

  #handle(request: RpcRequest): HandlerOutcome {
    if (request.method === 'connect') return this.#connect(request);
    if (!this.#authenticated) throw new RpcError(RpcErrorCode.AuthenticationRequired, 'AUTHENTICATION_REQUIRED');
    const handler = METHODS.get(request.method);
    if (handler === undefined) throw new RpcError(RpcErrorCode.MethodNotFound, `Unhandled method ${request.method}`);
    return handler(Params.of(request.method, request.params), { agent: this.#settings.agent, sink: this });
  }

  #connect(request: RpcRequest): HandlerOutcome {
    const params = Params.of(request.method, request.params);
    const expected = this.#settings.token;
    if (expected !== undefined && !tokensMatch(params.raw['token'], expected)) {
      // The message never quotes either token.
      throw new RpcError(RpcErrorCode.AuthenticationFailed, 'AUTHENTICATION_FAILED');
    }
    this.#authenticated = true;
    const taskKinds = params.has('supportedTaskKinds') ? { taskKinds: ['agent', 'shell', 'client'] } : {};
    return { result: { ok: true, protocolVersion: PROTOCOL_VERSION, version: this.#settings.agent.context.version, ...taskKinds } };
  }

  #respondError(id: RequestId | null, error: RpcError): void {
    this.#write({ jsonrpc: '2.0', id, error: error.toJSON() });
  }

  #write(message: object): void {
    if (!this.#open || this.#writable.writableEnded || this.#writable.destroyed) return;
    this.#writable.write(encodeFrame(message));
  }

  #close(): void {
    if (!this.#open) return;
    this.#open = false;
    for (const subscriber of this.#awaiting.values()) subscriber.error(new Error('the client connection closed'));
    this.#awaiting.clear();
    this.#settings.onClose(this);
    this.#resolveClosed();
  }
}

function toRpcError(method: string, error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RpcError(RpcErrorCode.InternalError, `Request ${method} failed with message: ${message}`);
}

/** Compares in constant time, so the fake does not model a timing leak a test could come to rely on. */
function tokensMatch(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
