/**
 * A Copilot session: a typed sub-stream of the connection, plus the requests that act on it.
 */
import { Observable, type Subscription } from 'rxjs';
import { GetMessagesResult, SuccessResult, type SessionSendParams } from '../codecs/methods';
import { decodeOrThrow } from '../codecs/decodeWith';
import type { SessionEvent } from '../codecs/sessionEvent';
import { decodeSessionEventNotification } from '../events/decode';
import { isLeft } from 'fp-ts/Either';
import { ResponseDecodeError } from '../errors';
import type { SessionConfig } from './config';
import type { SessionHost } from './host';
import { answerBroadcastRequests } from './responder';
import { answerUndecodableRequest } from './undecodableRequests';
import type { DecodeFailure } from '../events/decode';
import { turn, type SendOptions } from './turn';

export interface SessionInfo {
  readonly workspacePath?: string | null;
  readonly capabilities?: Readonly<Record<string, unknown>>;
}

export class RxSession {
  readonly #host: SessionHost;
  readonly #responder: Subscription;
  readonly #tracker: Subscription;
  readonly #config: SessionConfig;
  #busy = false;
  #destroyed = false;
  #info: SessionInfo = {};

  /** This session's events only, in wire order, typed as a union on `type`. Hot. */
  readonly events$: Observable<SessionEvent>;

  constructor(
    readonly id: string,
    events$: Observable<SessionEvent>,
    config: SessionConfig,
    host: SessionHost,
  ) {
    this.#host = host;
    this.events$ = events$;
    this.#responder = answerBroadcastRequests(id, events$, config, host);
    this.#config = config;
    this.#tracker = events$.subscribe({
      next: (event) => {
        if (event.type === 'session.idle' && event.agentId === undefined) this.#busy = false;
      },
      error: () => undefined,
    });
  }

  /** What the CLI said when it attached the session (workspace path, capabilities). */
  get info(): SessionInfo {
    return this.#info;
  }

  /**
   * @internal Called by the client with this session's decode failures: a request event that broke
   * its codec still gets an answer, so the CLI is never left waiting on this client.
   */
  handleDecodeFailure(failure: DecodeFailure): void {
    if (this.#destroyed) return;
    answerUndecodableRequest(this.id, failure, (name) => this.#config.tools?.some((tool) => tool.name === name) ?? false, this.#host);
  }

  /** @internal Set by the client from the create/resume answer. */
  setAttachInfo(info: SessionInfo): void {
    this.#info = info;
  }

  /** True from a send until the session reports `session.idle`. */
  get busy(): boolean {
    return this.#busy;
  }

  /**
   * One turn: sends the prompt when subscribed, emits the turn's events up to and including
   * `session.idle`, then completes. Errors with SessionError on `session.error`; unsubscribing
   * early aborts the turn. Cold: every subscription sends once.
   */
  send(options: SendOptions | string): Observable<SessionEvent> {
    const sendOptions = typeof options === 'string' ? { prompt: options } : options;
    return turn(
      {
        sessionId: this.id,
        events$: this.events$,
        isBusy: () => this.#busy,
        markBusy: () => (this.#busy = true),
        sendRequest: (params: SessionSendParams) => this.#host.request('session.send', params),
        abort: () => this.abort(),
      },
      sendOptions,
    );
  }

  /** Stops the running turn; its `session.idle` reports `aborted: true`. Harmless when idle. */
  async abort(): Promise<void> {
    if (this.#destroyed) return;
    decodeOrThrow(SuccessResult, 'session.abort', await this.#host.call('session.abort', { sessionId: this.id }));
  }

  /** The session's persisted events, in order (ephemeral ones, like deltas, are not kept). */
  async getMessages(): Promise<SessionEvent[]> {
    const result = decodeOrThrow(
      GetMessagesResult,
      'session.getMessages',
      await this.#host.call('session.getMessages', { sessionId: this.id }),
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
      await this.#host.call('session.destroy', { sessionId: this.id });
    } finally {
      this.dispose();
    }
  }

  /** Releases local state without telling the CLI (the connection is gone or going). */
  dispose(): void {
    this.#destroyed = true;
    this.#responder.unsubscribe();
    this.#tracker.unsubscribe();
    this.#host.closeRoute(this.id);
  }
}
