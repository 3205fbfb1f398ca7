/**
 * The entry point: one Copilot CLI connection as a hot Observable, and the sessions on it.
 *
 * ```ts
 * const client = new CopilotRxClient();
 * await client.start();
 * const session = await client.createSession({ streaming: true });
 * session.send('Hello').pipe(ofType('assistant.message_delta')).subscribe((e) => process.stdout.write(e.data.deltaContent));
 * ```
 *
 * A client is used once: after `stop()` (or after the CLI died) make a new one.
 */
import { randomUUID } from 'node:crypto';
import { BehaviorSubject, Observable, Subject, defer, firstValueFrom } from 'rxjs';
import { SessionCreateResult, SessionResumeResult } from '../codecs/methods/index.js';
import { decodeOrThrow } from '../codecs/decodeWith.js';
import type { SessionLifecycleEvent } from '../codecs/lifecycle.js';
import { InvalidStateError, type ConnectionClosedError } from '../errors.js';
import type { DecodeFailure, SessionEventNotification } from '../events/decode.js';
import { EventHub } from '../events/eventHub.js';
import type { RequestOptions, RpcConnection, RpcNotification } from '../rpc/connection.js';
import type { MalformedMessageError } from '../rpc/malformed.js';
import { toSessionParams, validateHandlerTimeouts, type SessionConfig } from '../session/config.js';
import type { AnswerFailure, SessionHost } from '../session/host.js';
import { RxSession } from '../session/RxSession.js';
import { createServerRpc, type ServerRpc } from '../rpcApi/index.js';
import type { CopilotRxClientOptions } from './options.js';
import type { ConnectionState } from './state.js';
import { DEFAULT_MAX_CONCURRENT_TURNS, TurnLimiter, type TurnQueueState } from './turnLimiter.js';
import { DurableSessions, type BackfillGap, type ReplayOption } from './durableSessions.js';
import { requestOverLink } from './linkRequests.js';
import { validateReconnect, validateReopenable } from './reconnect.js';
import { LinkLifecycle, reattachRequestOptions, stoppedWhileStarting } from './linkLifecycle.js';
import { shutDownPolitely } from './politeShutdown.js';
import { runtimeControls, validateListModelsTimeout } from '../conveniences/runtimeControls.js';
import { sessionManagement } from '../conveniences/sessionManagement.js';
import { registerMcpAuthInterest } from '../session/mcpAuth.js';

export interface SessionOptions extends SessionConfig {
  /** Choose the session id yourself; default: a random UUID. */
  readonly sessionId?: string;
}

export interface ResumeOptions extends SessionConfig {
  /** Keep tool calls and permission prompts of the previous attachment pending (re-emitted). */
  readonly continuePendingWork?: boolean;
  /**
   * History to deliver on `events$` before the live events: `'none'` (default), `'all'` (every event
   * the CLI still has for the session), or `{ afterEventId }` (the events after one the consumer
   * already has). The first subscriber of `events$` gets it; `isReplayed(event)` tells it from live.
   */
  readonly replay?: ReplayOption;
}

export class CopilotRxClient {
  readonly #options: CopilotRxClientOptions;
  readonly #hub: EventHub;
  readonly #state = new BehaviorSubject<ConnectionState>({ status: 'idle' });
  readonly #answerFailures = new Subject<AnswerFailure>();
  readonly #malformed = new Subject<MalformedMessageError>();
  readonly #sessions = new Map<string, RxSession>();
  readonly #turns: TurnLimiter;
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #host: SessionHost | undefined;
  #typedRpc: ServerRpc | undefined;
  readonly #durable: DurableSessions;
  /** The link to the CLI, and the reconnects that replace a lost one. */
  readonly #link: LinkLifecycle;

  /** Every session's events, as `{ sessionId, event }`, decoded and de-duplicated. Hot. */
  readonly events$: Observable<SessionEventNotification>;
  /** Events that claimed a known type but failed its codec, with the raw JSON and io-ts paths. */
  readonly decodeErrors$: Observable<DecodeFailure>;
  /** `session.lifecycle` notifications (created, updated, deleted, ...), for any session on the CLI. */
  readonly lifecycle$: Observable<SessionLifecycleEvent>;
  /** Notification methods copilot-rx does not interpret (e.g. `host.event`). */
  readonly otherNotifications$: Observable<RpcNotification>;
  /** The running count of events the CLI re-sent and copilot-rx dropped. */
  readonly duplicatesDropped$: Observable<number>;
  /**
   * Frames and messages from the CLI that could not be used at all (a bad header, invalid JSON, not
   * JSON-RPC): each was skipped, quoted here, and the connection read on.
   */
  readonly malformed$: Observable<MalformedMessageError> = this.#malformed.asObservable();
  /** Answers to permission prompts, tool calls or mode switches that could not be delivered. */
  readonly answerFailures$: Observable<AnswerFailure> = this.#answerFailures.asObservable();
  /** The connection's life: idle → starting → connected → stopping → stopped, or closed with an error. */
  readonly state$: Observable<ConnectionState> = this.#state.asObservable();
  /**
   * Turns running and waiting under `maxConcurrentTurns`, on every change; replays the current state.
   * Completes when the client stops or its connection closes (queued turns then fail).
   */
  readonly turnQueue$: Observable<TurnQueueState>;
  /** History a resume or a reconnect could not recover whole (see BackfillGap). Completes with the client. */
  readonly backfillGaps$: Observable<BackfillGap>;

  // The official SDK's client methods (core README, "official SDK → copilot-rx"): each a Promise when
  // called, a cold Observable with `.$`.
  readonly #management = sessionManagement(this, (sessionId) => this.#sessions.get(sessionId)?.dispose());
  readonly #runtime = runtimeControls(this, () => this.#options);
  /** Saved sessions, newest first (`sessions.list`); a session appears once its first message is persisted. */
  readonly listSessions = this.#management.listSessions;
  /** Deletes a saved session for good (`sessions.delete`); one attached here is released. */
  readonly deleteSession = this.#management.deleteSession;
  /** A saved session's metadata (`sessions.getMetadata`), or undefined. */
  readonly getSessionMetadata = this.#management.getSessionMetadata;
  /** The most recently modified saved session's id (`sessions.getLastForContext`), or undefined. */
  readonly getLastSessionId = this.#management.getLastSessionId;
  /** The session the CLI's terminal UI shows (`session.getForeground`); undefined when headless. */
  readonly getForegroundSessionId = this.#management.getForegroundSessionId;
  /** Shows a session in the CLI's terminal UI (`session.setForeground`); RequestRefusedError when headless. */
  readonly setForegroundSessionId = this.#management.setForegroundSessionId;
  /** The CLI's version and protocol version (`status.get`). */
  readonly getStatus = this.#runtime.getStatus;
  /** Whether and how the CLI is signed in to GitHub (`auth.getStatus`). */
  readonly getAuthStatus = this.#runtime.getAuthStatus;
  /** The models sessions may use: `onListModels` when given, else `models.list`. */
  readonly listModels = this.#runtime.listModels;

  constructor(options: CopilotRxClientOptions = {}) {
    if (options.reconnect) {
      validateReconnect(options.reconnect);
      validateReopenable(options.reconnect, options.transport);
    }
    validateListModelsTimeout(options.listModelsTimeoutMs);
    this.#options = options;
    this.#hub = new EventHub(options.dedupeWindow);
    this.#durable = new DurableSessions(this.#hub, () => this.#requestOptions(), () => reattachRequestOptions(options));
    this.#link = new LinkLifecycle(options, this.#state, {
      hub: this.#hub,
      durable: this.#durable,
      session: (sessionId) => this.#sessions.get(sessionId),
      reportMalformed: (error) => this.#malformed.next(error),
      close: (error) => this.#close(error),
    });
    this.backfillGaps$ = this.#durable.gaps$;
    this.events$ = this.#hub.events$;
    this.decodeErrors$ = this.#hub.decodeErrors$;
    this.lifecycle$ = this.#hub.lifecycle$;
    this.otherNotifications$ = this.#hub.otherNotifications$;
    this.duplicatesDropped$ = this.#hub.duplicatesDropped$;
    this.#turns = new TurnLimiter(options.maxConcurrentTurns ?? DEFAULT_MAX_CONCURRENT_TURNS);
    this.turnQueue$ = this.#turns.state$;
  }

  get state(): ConnectionState {
    return this.#state.value;
  }

  /** The spawned CLI's pid, when this client spawned one. */
  get pid(): number | undefined {
    return this.#link.transport?.pid;
  }

  /** The CLI server's TCP port, over a tcp transport (e.g. for a second client to attach). */
  get port(): number | undefined {
    return this.#link.transport?.port;
  }

  /** Starts the CLI and shakes hands. Single-flight: concurrent calls share one CLI. */
  start(): Promise<void> {
    if (this.#stopping) return Promise.reject(new InvalidStateError('This client was stopped; create a new one'));
    this.#starting ??= this.#start().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  /** Creates a session. Its id is chosen here, so events that precede the answer are not lost. */
  async createSession(options: SessionOptions = {}): Promise<RxSession> {
    const { sessionId = randomUUID(), ...config } = options;
    return this.#attach(sessionId, config, 'session.create', {});
  }

  /**
   * Re-attaches to an existing session, on this CLI or on a new one started on the same state
   * directory. With `replay`, its history comes first on `events$` (see ResumeOptions.replay).
   */
  async resumeSession(sessionId: string, options: ResumeOptions = {}): Promise<RxSession> {
    const { continuePendingWork, replay = 'none', ...config } = options;
    return this.#attach(sessionId, config, 'session.resume', continuePendingWork === undefined ? {} : { continuePendingWork }, replay);
  }

  /**
   * Sends any request the CLI supports (about 300 exist; see protocol.md §2) and resolves with its
   * result. `timeoutMs` (default: the client's `requestTimeoutMs`) bounds the wait: RequestTimeoutError.
   */
  async request(method: string, params: object = {}, options: RequestOptions = {}): Promise<unknown> {
    return this.#connected().call(method, params, this.#requestOptions(options));
  }

  /**
   * The Observable form of `request()`: cold, it sends when subscribed, emits the result and completes;
   * unsubscribing before the answer cancels the request.
   */
  request$(method: string, params: object = {}, options: RequestOptions = {}): Observable<unknown> {
    return defer(() => this.#connected().request(method, params, this.#requestOptions(options)));
  }

  /**
   * Every server-scoped method of the CLI's API, typed from its schema: `client.rpc.models.list()` is a
   * Promise, `client.rpc.models.list.$()` a cold Observable (cancelled on unsubscribe). Results are
   * decoded (ResultDecodeError when they do not match). Bound on first use.
   */
  get rpc(): ServerRpc {
    return (this.#typedRpc ??= createServerRpc((method, params, options) => this.request$(method, params, options)));
  }

  /**
   * Detaches every session, shuts the CLI's runtime down (when this client spawned it) and releases
   * the process and every handle. The streams complete. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  /**
   * Kills the CLI at once, skipping the polite steps of `stop()`. A `start()` in flight gives up (it
   * rejects with InvalidStateError) and its CLI is killed; a `stop()` in flight stops waiting politely.
   * Ends `stopped`, whatever was under way.
   */
  async forceStop(): Promise<void> {
    this.#link.force();
    this.#stopping ??= this.#stop();
    this.#link.transport?.kill();
    await this.#stopping;
  }

  async #start(): Promise<void> {
    this.#state.next({ status: 'starting' });
    try {
      await this.#link.open();
    } catch (error) {
      if (this.#link.forced) throw error instanceof InvalidStateError ? error : stoppedWhileStarting(error);
      // A stop() waiting for this start reports `stopped` itself: no `idle` in between.
      if (!this.#stopping) this.#state.next({ status: 'idle' });
      throw error;
    }
    // One subscription for every session: a request event that failed its codec still reaches its
    // session (by Map lookup), which answers it the safe way.
    this.#hub.decodeErrors$.subscribe((failure) => {
      if (failure.sessionId !== undefined) this.#sessions.get(failure.sessionId)?.handleDecodeFailure(failure);
    });
  }

  /** The link is gone for good: every stream fails with `error`. */
  #close(error: ConnectionClosedError): void {
    this.#turns.close(error);
    this.#hub.fail(error);
    this.#release();
    this.#state.next({ status: 'closed', error });
  }

  async #attach(
    sessionId: string,
    config: SessionConfig,
    method: 'session.create' | 'session.resume',
    extra: object,
    replay: ReplayOption = 'none',
  ): Promise<RxSession> {
    const rpc = this.#connected();
    validateHandlerTimeouts(config.handlerTimeouts);
    const attached = this.#sessions.get(sessionId);
    if (attached && method === 'session.create') throw new InvalidStateError(`Session ${sessionId} is already attached to this client`);
    // Resuming an attached session replaces its attachment, as the official SDK allows: the old
    // RxSession is released (its events$ completes), the new one gets the route and the handlers.
    attached?.dispose();
    // Route and handlers exist BEFORE the request: the CLI emits events and may ask questions about
    // the session while it is still creating it.
    // One host for every session of the connection: per-session closures would cost heap per idle session.
    this.#host ??= this.#sessionHost();
    const session = new RxSession(sessionId, config, this.#host);
    this.#durable.open(session);
    // History first: the live events of a replayed session wait until it has been read.
    if (replay !== 'none') this.#durable.holdForReplay(sessionId);
    this.#sessions.set(sessionId, session);
    try {
      const raw = await rpc.call(method, { ...toSessionParams(sessionId, config), ...extra }, this.#requestOptions());
      const result = decodeOrThrow(method === 'session.create' ? SessionCreateResult : SessionResumeResult, method, raw);
      if (result.sessionId !== sessionId) {
        throw new InvalidStateError(`${method} answered for session ${result.sessionId}, not the requested ${sessionId}`);
      }
      session.setAttachInfo({ workspacePath: result.workspacePath, capabilities: result.capabilities });
      if (config.onMcpAuth) await registerMcpAuthInterest(session);
      // Only a client that may reconnect needs the session's position (one request per attach).
      if (replay !== 'none' || this.#link.reconnects) await this.#durable.attached(rpc, sessionId, replay);
      return session;
    } catch (error) {
      session.dispose();
      throw error;
    }
  }

  #sessionHost(): SessionHost {
    const link = { state$: this.state$, rpc: () => this.#link.rpc, reconnects: this.#link.reconnects };
    return {
      request: (method, params, options) => requestOverLink(link, method, params, this.#requestOptions(options)),
      call: (method, params, options) => firstValueFrom(requestOverLink(link, method, params, this.#requestOptions(options))),
      closeRoute: (sessionId) => {
        this.#durable.forget(sessionId);
        this.#sessions.delete(sessionId);
        this.#hub.closeRoute(sessionId);
      },
      reportAnswerFailure: (failure) => this.#answerFailures.next(failure),
      scheduleTurn: (turn$) => this.#turns.schedule(turn$),
    };
  }

  #connected(): RpcConnection {
    const rpc = this.#link.rpc;
    const state = this.#state.value;
    if (state.status === 'closed') throw state.error;
    if (!rpc || state.status !== 'connected') {
      throw new InvalidStateError(`The client is ${state.status}; call start() first (a stopped client cannot restart)`);
    }
    return rpc;
  }

  /** The client's `requestTimeoutMs` unless the call sets its own. */
  #requestOptions(options: RequestOptions = {}): RequestOptions {
    const timeoutMs = options.timeoutMs ?? this.#options.requestTimeoutMs;
    return timeoutMs === undefined ? {} : { timeoutMs };
  }

  async #stop(): Promise<void> {
    // Before the sessions are destroyed: their running turns end then, and a queued turn must not
    // take a freed slot and send.
    this.#turns.close(stoppedBeforeStart());
    // A reconnect stops trying; an attempt under way has its link ended (see LinkLifecycle) and settles.
    const reconnecting = this.#link.stopReconnecting();
    if (reconnecting) await reconnecting;
    // A start in flight settles first (a forced stop makes it give up at its next step): only then
    // are its connection and process known, so they can be shut down rather than left running.
    if (this.#starting) await this.#starting.catch(() => undefined);
    const rpc = this.#link.rpc;
    const transport = this.#link.transport;
    const forced = this.#link.forced;
    if (forced || !rpc || !transport || this.#state.value.status !== 'connected') {
      if (forced) transport?.kill();
      this.#release();
      await transport?.dispose();
      this.#state.next({ status: 'stopped' });
      return;
    }
    this.#state.next({ status: 'stopping' });
    await shutDownPolitely([...this.#sessions.values()], rpc, transport);
    this.#release();
    await transport.dispose();
    this.#state.next({ status: 'stopped' });
  }

  /** Ends every stream and forgets every session. */
  #release(): void {
    // First: a queued turn must fail, not start on a session that is being disposed.
    this.#turns.close(stoppedBeforeStart());
    for (const session of this.#sessions.values()) session.dispose();
    this.#sessions.clear();
    this.#link.rpc?.dispose();
    this.#hub.complete();
    this.#durable.complete();
    this.#answerFailures.complete();
    this.#malformed.complete();
  }
}

function stoppedBeforeStart(): InvalidStateError {
  return new InvalidStateError('The client stopped before this queued turn could start');
}
