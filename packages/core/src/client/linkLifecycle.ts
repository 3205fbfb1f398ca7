/**
 * The client's link to the CLI, one after another: opening one (spawn or connect, RPC, handshake,
 * notifications into the hub), noticing when it is lost, and then either reconnecting (reconnector.ts,
 * which re-attaches every session on the new link before `connected`) or ending the client. What
 * lives on the link (sessions, streams, turns) stays with the client, reached through LinkOwner.
 */
import { Observable, type BehaviorSubject } from 'rxjs';
import { InvalidStateError, type ConnectionClosedError } from '../errors.js';
import type { EventHub } from '../events/eventHub.js';
import { RpcConnection, type RequestOptions } from '../rpc/connection.js';
import type { MalformedMessageError } from '../rpc/malformed.js';
import type { RxSession } from '../session/RxSession.js';
import type { Transport, TransportConnection } from '../transport/types.js';
import type { DurableSessions } from './durableSessions.js';
import { handshake } from './handshake.js';
import type { CopilotRxClientOptions } from './options.js';
import { Reconnector } from './reconnector.js';
import { registerServerRequestHandlers } from './serverRequests.js';
import type { ConnectionState } from './state.js';
import { reopener, resolveTransport } from './transportRecipe.js';

export const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;

/** What the client keeps that a link feeds, serves and, when it is gone for good, ends. */
export interface LinkOwner {
  readonly hub: EventHub;
  readonly durable: DurableSessions;
  /** The attached session a request from the CLI names. */
  session(sessionId: string): RxSession | undefined;
  /** A frame or message from the CLI that could not be used (the link reads on). */
  reportMalformed(error: MalformedMessageError): void;
  /** The link is gone for good: every stream fails with `error`. */
  close(error: ConnectionClosedError): void;
}

export class LinkLifecycle {
  #rpc: RpcConnection | undefined;
  #transport: TransportConnection | undefined;
  /** Set by `forceStop()`: a link being opened gives up at its next step, and no reconnect begins. */
  #forced = false;
  /** Set when `stop()` begins: a link that closes now is the stop's doing, and no reconnect begins. */
  #stopping = false;
  readonly #reconnector: Reconnector;

  constructor(
    private readonly options: CopilotRxClientOptions,
    private readonly state: BehaviorSubject<ConnectionState>,
    private readonly owner: LinkOwner,
  ) {
    this.#reconnector = new Reconnector(options.reconnect ?? {}, state, {
      reopen: (transport) => this.#open(transport, true),
      close: (error) => owner.close(error),
    });
  }

  /** The connection in use; undefined between links. */
  get rpc(): RpcConnection | undefined {
    return this.#rpc;
  }

  get transport(): TransportConnection | undefined {
    return this.#transport;
  }

  get forced(): boolean {
    return this.#forced;
  }

  /** True when a lost link is reopened rather than fatal. */
  get reconnects(): boolean {
    return reopener(this.options) !== undefined;
  }

  /** Opens the first link, on the transport the options describe; `connected` once it shook hands. */
  open(): Promise<void> {
    return this.#open(resolveTransport(this.options), false);
  }

  /** `forceStop()` began: see #forced. The caller kills the CLI. */
  force(): void {
    this.#forced = true;
  }

  /**
   * `stop()` began: no reconnect begins, one waiting gives up, and an attempt under way has its link
   * ended. Returns the reconnect under way, if any, which settles after that (see Reconnector.stop).
   */
  stopReconnecting(): Promise<void> | undefined {
    this.#stopping = true;
    return this.#reconnector.stop();
  }

  /**
   * Opens one link: connection, RPC, handshake, notifications into the hub; on a reconnect, also
   * re-attaches every session before the client reports `connected` (so no session request goes out
   * on a link where its session is not attached yet).
   */
  async #open(transport: Transport, reattach: boolean): Promise<void> {
    const connection = await transport.open();
    if (this.#forced || (reattach && this.#stopping)) {
      // forceStop() came while the CLI was being spawned: nobody else knows this process to kill it.
      connection.kill();
      await connection.dispose();
      throw stoppedWhileStarting();
    }
    this.#transport = connection;
    const rpc = new RpcConnection(connection, this.options.reader);
    this.#rpc = rpc;
    rpc.malformed$.subscribe({ next: (error) => this.owner.reportMalformed(error) });
    registerServerRequestHandlers(rpc, (sessionId) => this.owner.session(sessionId));
    // stop() during a reconnect ends the link being opened at once (its pending requests fail), rather
    // than waiting out the bounds of its handshake and re-attach.
    const abandon = () => rpc.dispose();
    const stopSignal = this.#reconnector.stopSignal;
    if (reattach) stopSignal.addEventListener('abort', abandon, { once: true });
    try {
      const token = connection.connectionToken ?? this.options.connectionToken;
      const result = await handshake(rpc, token, this.options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS);
      // forceStop() killed the CLI during the handshake, which may still have won the race.
      if (this.#forced) throw stoppedWhileStarting();
      // A link that may be replaced must not end the hub when it ends: the next link feeds it.
      this.owner.hub.attach(this.reconnects ? untilEnd(rpc.notifications$) : rpc.notifications$);
      void rpc.closed.then((error) => this.#closed(connection, error));
      if (reattach) await this.owner.durable.reattachAll(rpc);
      if (reattach && this.#stopping) throw stoppedWhileStarting();
      // Broke while re-attaching (its close was ignored: the state was not `connected`): try again.
      if (rpc.closedError) throw rpc.closedError;
      this.state.next({ status: 'connected', cliVersion: result.cliVersion, protocolVersion: result.protocolVersion });
    } catch (error) {
      rpc.dispose();
      await connection.dispose();
      this.#rpc = undefined;
      this.#transport = undefined;
      throw error;
    } finally {
      stopSignal.removeEventListener('abort', abandon);
    }
  }

  #closed(connection: TransportConnection, error: ConnectionClosedError): void {
    // A stop ends the link itself; a link replaced by a reconnect, or one that broke before it was
    // `connected` (a reconnect still re-attaching on it), is the reconnect's business.
    if (this.#stopping || connection !== this.#transport || this.state.value.status !== 'connected') return;
    this.#rpc = undefined;
    // The stream is gone, the process maybe not (it closed its stdout, a socket dropped): it is of
    // no more use to anyone and must not be left running.
    void connection.dispose().catch(() => undefined);
    const reopen = reopener(this.options);
    if (reopen && !this.#forced) {
      this.owner.durable.linkLost();
      this.#reconnector.begin(error, reopen);
      return;
    }
    this.owner.close(error);
  }
}

/**
 * The bound of each request that re-attaches a session after a reconnect (resume, event-log reads,
 * isProcessing): the client's `requestTimeoutMs`, else `startupTimeoutMs`. The client is not
 * `connected` until they answer; a CLI silent then fails the attempt (the next one tries again)
 * instead of holding the reconnect, and every request waiting on it, for ever.
 */
export function reattachRequestOptions(options: CopilotRxClientOptions): RequestOptions {
  return { timeoutMs: options.requestTimeoutMs ?? options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS };
}

export function stoppedWhileStarting(cause?: unknown): InvalidStateError {
  return new InvalidStateError('The client was force-stopped while it was starting; its CLI was killed', { cause });
}

/** The notifications of one link, without its end: the hub outlives a link that a reconnect replaces. */
function untilEnd<T>(source: Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => source.subscribe({ next: (value) => subscriber.next(value), error: () => undefined }));
}
