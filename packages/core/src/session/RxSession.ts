/**
 * A Copilot session: a typed sub-stream of the connection, plus the requests that act on it.
 *
 * The session is itself the route its client's event hub delivers to, and the context of the
 * responder that answers the agent's requests: an idle session is one object with a few fields, and
 * its Subject is made only when someone subscribes (measured by `npm run bench`: heap per idle session).
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { Observable, Subject } from 'rxjs';
import { GetMessagesResult, SuccessResult, type SessionSendParams } from '../codecs/methods/index.js';
import { decodeOrThrow } from '../codecs/decodeWith.js';
import type { SessionEvent } from '../codecs/sessionEvent.js';
import { ResponseDecodeError } from '../errors.js';
import { decodeSessionEventNotification, type DecodeFailure } from '../events/decode.js';
import { LazySubject } from '../events/LazySubject.js';
import type { SessionConfig } from './config.js';
import type { SessionHost } from './host.js';
import { respondToBroadcast, stopRunningHandlers } from './responder.js';
import { turn, type SendOptions } from './turn.js';
import { answerUndecodableRequest } from './undecodableRequests.js';
import { createSessionRpc, type SessionRpc } from '../rpcApi/index.js';
import { logToSession, switchModel, type LogToSession, type SwitchModel } from '../conveniences/sessionControls.js';

export interface SessionInfo {
  readonly workspacePath?: string | null;
  readonly capabilities?: Readonly<Record<string, unknown>>;
}

// No `implements SessionRoute, ResponderContext`: those members are internal, stripped from the
// published declarations, where the clause would then fail to type-check in apps that check libraries.
// The client hands sessions to the hub and the responder as both, so the shape is still checked there.
export class RxSession {
  readonly #events = new LazySubject<SessionEvent>();
  #runningHandlers: Set<AbortController> | undefined;
  #handlerSettledAt = -Infinity;
  #busy = false;
  /** Counts the turns started, so a reconnect can tell the turn it cut from one sent since. */
  #turnSerial = 0;
  #destroyed = false;
  #info: SessionInfo = {};
  /** Bound on first use: an idle session that never calls it pays one empty field. */
  #rpc: SessionRpc | undefined;
  #onFirstSubscriber: (() => void) | undefined;
  /** Reasons a running turn's work was lost without an event saying so (see `interruptTurn`); made on first send. */
  #interrupts: Subject<string> | undefined;

  /**
   * @param config What the app said when it created the session (handlers, tools).
   * @param host The connection's services; shared by every session of a client.
   */
  constructor(
    readonly id: string,
    /** @internal */
    readonly config: SessionConfig,
    /** @internal */
    readonly host: SessionHost,
  ) {}

  /**
   * This session's events only, in wire order, typed as a union on `type`. Hot. After
   * `resumeSession(id, { replay })` the first subscriber gets the history first (see `isReplayed`).
   */
  get events$(): Observable<SessionEvent> {
    if (!this.#onFirstSubscriber) return this.#events.observable;
    return new Observable<SessionEvent>((subscriber) => {
      // Subscribed first, started second: the history is delivered synchronously to this subscriber.
      const subscription = this.#events.observable.subscribe(subscriber);
      const start = this.#onFirstSubscriber;
      this.#onFirstSubscriber = undefined;
      start?.();
      return subscription;
    });
  }

  /** @internal The running turn's work is gone on the CLI (a reconnect found it not processing): fail it. */
  interruptTurn(reason: string): void {
    this.#interrupts?.next(reason);
  }

  /** @internal A replay's history waits for the first subscriber of `events$`, which starts it. */
  startOnFirstSubscriber(start: () => void): void {
    this.#onFirstSubscriber = start;
  }

  /**
   * @internal The hub's delivery of one event: the session's own bookkeeping and the answers to the
   * agent's requests first, then the app's subscribers.
   */
  deliver(event: SessionEvent): void {
    if (event.type === 'session.idle' && event.agentId === undefined) this.#busy = false;
    respondToBroadcast(this, event);
    this.#events.next(event);
  }

  /** @internal The hub closed the route: the connection ended (with `error`) or the session was closed. */
  end(error?: unknown): void {
    this.#destroyed = true;
    stopRunningHandlers(this, new Error('session closed'));
    if (error === undefined) this.#events.complete();
    else this.#events.error(error);
  }

  /** @internal The abort controllers of the handlers working on an answer (ResponderContext). */
  runningHandlers(): Set<AbortController> {
    return (this.#runningHandlers ??= new Set());
  }

  /** @internal A handler settled (ResponderContext): the turn's silence clock counts from here. */
  handlerSettled(): void {
    this.#handlerSettledAt = Date.now();
  }

  /**
   * @internal Called by the client with this session's decode failures: a request event that broke
   * its codec still gets an answer, so the CLI is never left waiting on this client.
   */
  handleDecodeFailure(failure: DecodeFailure): void {
    if (!this.#destroyed) answerUndecodableRequest(this, failure);
  }

  /** What the CLI said when it attached the session (workspace path, capabilities). */
  get info(): SessionInfo {
    return this.#info;
  }

  /**
   * Every session-scoped method of the CLI's API, typed from its schema, this session's id filled in:
   * `session.rpc.model.getCurrent()` is a Promise, `session.rpc.model.getCurrent.$()` a cold Observable
   * (cancelled on unsubscribe). Results are decoded (ResultDecodeError when they do not match).
   */
  get rpc(): SessionRpc {
    return (this.#rpc ??= createSessionRpc(this.id, (method, params, options) => this.host.request(method, params, options)));
  }

  /**
   * Switches the model for the next turns, history kept (the official SDK's `setModel`):
   * `await session.switchModel('gpt-5', { reasoningEffort: 'high' })`, or `.$(...)` for an Observable.
   */
  get switchModel(): SwitchModel {
    return switchModel(this.rpc);
  }

  /**
   * Writes a line to the session's timeline at a level (a `session.info`/`.warning`/`.error` event):
   * `await session.log('disk almost full', { level: 'warning' })`; resolves with the event's id.
   */
  get log(): LogToSession {
    return logToSession(this.rpc);
  }

  /** @internal Set by the client from the create/resume answer. */
  setAttachInfo(info: SessionInfo): void {
    this.#info = info;
  }

  /** True from a send until the session reports `session.idle`. */
  get busy(): boolean {
    return this.#busy;
  }

  /** @internal How many turns this session has started; the running one's number while `busy`. */
  get turnSerial(): number {
    return this.#turnSerial;
  }

  /**
   * One turn: sends the prompt when subscribed, emits the turn's events up to and including
   * `session.idle`, then completes. Errors with SessionError on `session.error`, with the request's
   * error when `session.send` fails (the session is then not busy), and with TurnSilenceError after
   * `silenceTimeoutMs` without an event; unsubscribing early aborts the turn. Cold: every
   * subscription sends once. Under the client's `maxConcurrentTurns`, the prompt waits in the
   * client's queue (sending nothing) until a slot frees.
   */
  send(options: SendOptions | string): Observable<SessionEvent> {
    const sendOptions = typeof options === 'string' ? { prompt: options } : options;
    const turn$ = turn(
      {
        sessionId: this.id,
        events$: this.events$,
        interrupted$: (this.#interrupts ??= new Subject<string>()),
        isBusy: () => this.#busy,
        markBusy: () => {
          this.#busy = true;
          this.#turnSerial++;
        },
        markIdle: () => (this.#busy = false),
        handlerActivity: () => ((this.#runningHandlers?.size ?? 0) > 0 ? Infinity : this.#handlerSettledAt),
        sendRequest: (params: SessionSendParams) => this.host.request('session.send', params),
        abort: () => this.abort(),
        reportAbortFailure: (error) =>
          this.host.reportAnswerFailure({ sessionId: this.id, method: 'session.abort', requestId: '', reason: 'abort-failed', error }),
      },
      sendOptions,
    );
    return this.host.scheduleTurn(turn$);
  }

  /** Stops the running turn; its `session.idle` reports `aborted: true`. Harmless when idle. */
  async abort(): Promise<void> {
    if (this.#destroyed) return;
    decodeOrThrow(SuccessResult, 'session.abort', await this.host.call('session.abort', { sessionId: this.id }));
  }

  /** The session's persisted events, in order (ephemeral ones, like deltas, are not kept). */
  async getMessages(): Promise<SessionEvent[]> {
    const result = decodeOrThrow(
      GetMessagesResult,
      'session.getMessages',
      await this.host.call('session.getMessages', { sessionId: this.id }),
    );
    return result.events.map((event) => {
      const decoded = decodeSessionEventNotification({ sessionId: this.id, event });
      if (isLeft(decoded)) throw new ResponseDecodeError('session.getMessages', decoded.left.messages, event);
      return decoded.right.event;
    });
  }

  /**
   * Detaches from the session: the CLI frees its memory and keeps its history on disk (resume it
   * later with `client.resumeSession`). `events$` completes. Idempotent.
   */
  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    try {
      await this.host.call('session.destroy', { sessionId: this.id });
    } finally {
      this.dispose();
    }
  }

  /** Releases local state without telling the CLI (the connection is gone or going). */
  dispose(): void {
    this.#destroyed = true;
    this.host.closeRoute(this.id);
  }
}
