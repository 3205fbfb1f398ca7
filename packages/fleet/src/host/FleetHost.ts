/**
 * FleetHost: publishes the sessions of one or more CopilotRxClients (CLIs on this machine) to NATS
 * JetStream and serves remote control of them.
 *
 * - Every session event goes to `copilot.<host>.<sessionId>.event` through the bounded Outbox
 *   (batched per session per tick; the broker de-duplicates retries by message id).
 * - Lifecycle records (created, busy, idle, destroyed, user input asked, events dropped, a remote
 *   turn failed) go to `...lifecycle`. The stream stores them in order with the session's events
 *   (one outbox lane per session), but readers take the two subjects through separate consumers, so
 *   they see each subject in order and no order between them: a `turn.failed` names its turn.
 * - Health goes to the `copilot_hosts` KV bucket every `healthTtlMs / 3`.
 * - Control requests (`...control.<verb>`) create, drive and destroy sessions; permission and
 *   user-input prompts wait for a remote answer and are denied/declined when none comes in time.
 */
import { randomUUID } from 'node:crypto';
import { Subject, type Observable, type Subscription as RxSubscription } from 'rxjs';
import { SessionError, type CopilotRxClient, type RxSession, type SessionConfig, type SessionEventNotification } from '@copilot-rx/core';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { openConnection, type FleetConnection } from '../connection.js';
import { clip, quote } from '../quote.js';
import { ensureFleetStream, largestFleetMessage, type FleetStreamLimits } from '../streamConfig.js';
import { assertToken, sessionSubject, type ControlVerb } from '../subjects.js';
import type { HealthRecord, LifecycleRecord } from '../wire/records.js';
import type { RemoteSessionConfig } from '../wire/control.js';
import { ControlRefusal, serveControl } from './controlService.js';
import { startHealthBeacon, openHostsBucket, type HealthBeacon } from './healthBeacon.js';
import { hostOutboxConfig, Outbox, resolveOutboxConfig, type OutboxConfig, type OutboxStats, type Publisher, type LaneSubjects } from './Outbox.js';
import { PendingPrompts, promptKey } from './PendingPrompts.js';
import { RemoteTurns, type RemoteSend } from './remoteTurns.js';
import { assertRemoteConfigPolicy, refusedRemoteFields, type RemoteConfigPolicy } from './remoteConfigPolicy.js';

export interface FleetHostOptions {
  /** This host's name in subjects: one token of `[A-Za-z0-9_-]`. */
  readonly host: string;
  /** The broker: an open NATS connection, or the options to open one. */
  readonly nats: FleetConnection;
  /** The CLIs this host publishes. Remote creates go to the one with the fewest sessions. */
  readonly clients: readonly CopilotRxClient[];
  /**
   * Config every remotely created session starts from (provider, timeouts); a request's settings
   * win where `remoteConfig` lets it choose them.
   */
  readonly sessionDefaults?: SessionConfig;
  /**
   * Which settings a remote create may choose over `sessionDefaults`: `'defaults-only'` (none), `'allow'`
   * (every RemoteSessionConfig field) or a list of fields. A create asking for more is refused with
   * CONFIG_REFUSED naming the fields. Default: `'defaults-only'` (an operator could otherwise point the
   * host's CLI at any provider URL and key).
   */
  readonly remoteConfig?: RemoteConfigPolicy;
  /** A host is down after this long without a heartbeat. Default: 15 000 ms. */
  readonly healthTtlMs?: number;
  readonly outbox?: OutboxConfig;
  readonly streamLimits?: FleetStreamLimits;
  /** How long a JetStream publish waits for its ack before it is retried. Default: 5 000 ms. */
  readonly publishTimeoutMs?: number;
  /** How long `stop()` waits for the outbox to drain. Default: 5 000 ms. */
  readonly drainTimeoutMs?: number;
  /**
   * Replaces the JetStream publish (instrumentation, fault injection in tests). It must resolve only
   * when the broker acknowledged the message; the default does exactly that.
   */
  readonly publisher?: (defaultPublisher: Publisher) => Publisher;
}

export interface FleetHostProblem {
  readonly where: 'publish' | 'health' | 'control' | 'lifecycle';
  readonly error: unknown;
}

interface HostedSession {
  readonly session: RxSession;
  readonly client: CopilotRxClient;
}

export class FleetHost {
  readonly #options: FleetHostOptions;
  readonly #sessions = new Map<string, HostedSession>();
  /** Sessions seen on a client's stream, hosted or not, with their lane subjects. */
  readonly #known = new Map<string, LaneSubjects>();
  /**
   * Sessions that ended lately, oldest first (bounded): the CLI may still emit for one after its end
   * (`session.shutdown` can follow the destroy response), and such a straggler must be published
   * without announcing the session as created again.
   */
  readonly #ended = new Set<string>();
  /** Each hosted session's subscription that notices its end. */
  readonly #watches = new Map<string, RxSubscription>();
  readonly #prompts = new PendingPrompts();
  readonly #turns = new RemoteTurns((sessionId, turnId, error) => this.#turnFailed(sessionId, turnId, error));
  readonly #problems = new Subject<FleetHostProblem>();
  readonly #subscriptions: RxSubscription[] = [];
  readonly #startedAt = Date.now();
  /** This process's id in its health record and `session.created` records: ghosts are told by it, not by clocks. */
  readonly #instance = randomUUID();
  readonly #ttlMs: number;
  readonly #remoteConfig: RemoteConfigPolicy;
  #nc: NatsConnection | undefined;
  #ownsConnection = false;
  #outbox: Outbox | undefined;
  #control: Subscription | undefined;
  #beacon: HealthBeacon | undefined;
  #stopping = false;

  /** What went wrong without stopping the host: a failed publish (retried), heartbeat or control reply. */
  readonly problems$: Observable<FleetHostProblem> = this.#problems.asObservable();

  constructor(options: FleetHostOptions) {
    assertToken('host', options.host);
    if (options.clients.length === 0) throw new RangeError('FleetHost needs at least one CopilotRxClient. Got none');
    const ttl = options.healthTtlMs ?? 15_000;
    if (!(ttl > 0)) throw new RangeError(`healthTtlMs must be a positive number of milliseconds. Got ${String(ttl)}`);
    this.#ttlMs = ttl;
    this.#remoteConfig = assertRemoteConfigPolicy(options.remoteConfig ?? 'defaults-only');
    // Checked now, not at start(): a bad limit must not leave a connection open behind it.
    resolveOutboxConfig(options.outbox);
    this.#options = options;
  }

  get host(): string {
    return this.#options.host;
  }

  get outboxStats(): OutboxStats {
    return this.#outbox?.stats ?? { pending: 0, dropped: 0, published: 0, batches: 0, retries: 0, lanes: 0 };
  }

  /** Connects, ensures the stream and bucket, starts the CLIs, then publishes and serves control. */
  async start(): Promise<void> {
    const { nc, owned } = await openConnection(this.#options.nats, `copilot-rx-host ${this.host}`);
    this.#nc = nc;
    this.#ownsConnection = owned;
    const stream = await ensureFleetStream(await jetstreamManager(nc), this.#options.streamLimits);
    const kv = await openHostsBucket(nc, this.#ttlMs);
    const js = jetstream(nc);
    const publish = defaultPublisher(js, this.#options.publishTimeoutMs ?? 5_000);
    // A message over the broker's limit is refused on every retry: the outbox keeps under it.
    const outbox = hostOutboxConfig(this.#options.outbox, largestFleetMessage(stream.config.max_msg_size, nc.info?.max_payload));
    this.#outbox = new Outbox(
      this.#options.publisher?.(publish) ?? publish,
      outbox,
      (error) => this.#report('publish', error),
      (sessionId) => this.#turns.turnIds(sessionId),
    );
    for (const client of this.#options.clients) {
      // Subscribed before start: the CLI may emit before any request is answered.
      this.#subscriptions.push(
        client.events$.subscribe({
          next: (notification) => this.#publishEvent(notification),
          // The CLI died: its sessions stop here; consumers see no more events and, if the host
          // goes too, the sessions as lost.
          error: (error: unknown) => this.#report('publish', error),
        }),
      );
      await client.start();
    }
    this.#control = serveControl(nc, this.host, (verb, sessionId, request) => this.#handle(verb, sessionId, request), (error) => this.#report('control', error));
    this.#beacon = startHealthBeacon(kv, this.host, this.#ttlMs, () => this.#healthRecord(), (error) => this.#report('health', error));
    await this.#beacon.beat();
  }

  /** Publishes a session this process created itself (remote control then reaches it too). */
  adopt(session: RxSession, client: CopilotRxClient): void {
    this.#host(session, client);
  }

  /** Stops serving control, drains the outbox (bounded), deletes the health record, closes what it opened. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#control?.unsubscribe();
    this.#turns.dropAllWaiting('HOST_STOPPING', `host ${this.host} stopped before the turn started`);
    const left = (await this.#outbox?.drain(this.#options.drainTimeoutMs ?? 5_000)) ?? 0;
    if (left > 0) this.#report('publish', new Error(`stopped with ${left} records not acknowledged by the broker`));
    for (const subscription of [...this.#subscriptions, ...this.#watches.values()]) subscription.unsubscribe();
    this.#watches.clear();
    this.#outbox?.close();
    await this.#beacon?.stop().catch((error: unknown) => this.#report('health', error));
    if (this.#ownsConnection) await this.#nc?.close();
    this.#problems.complete();
  }

  /**
   * Runs inside `events$`'s `next`: anything thrown here (an event JSON cannot serialise, a bug in the
   * outbox) would go to RxJS's unhandled-error timer and end the host, so it is reported instead and
   * the next event is published as usual.
   */
  #publishEvent(notification: SessionEventNotification): void {
    try {
      this.#publishEventUnguarded(notification);
    } catch (error) {
      this.#report('publish', error);
    }
  }

  #publishEventUnguarded({ sessionId, event }: SessionEventNotification): void {
    const outbox = this.#outbox;
    if (!outbox) return;
    const lane = this.#lane(sessionId);
    if (!lane) return;
    outbox.pushEvent(sessionId, lane, event.id, JSON.stringify(event));
    if (this.#ended.has(sessionId)) return outbox.retireLane(sessionId);
    // Busy/idle of the main agent, so sessions$ can show state without reading every event.
    if (event.agentId === undefined && (event.type === 'user.message' || event.type === 'session.idle')) {
      this.#lifecycle(sessionId, { type: event.type === 'user.message' ? 'session.busy' : 'session.idle', at: Date.now() });
    }
    // How a session this host does not hold ends on its CLI. A hosted one ends with its RxSession
    // (see #host): its CLI also says session.shutdown when only its link was lost, and a reconnect
    // then resumes it.
    if (event.agentId === undefined && event.type === 'session.shutdown' && !this.#sessions.has(sessionId)) this.#end(sessionId);
  }

  /** The session's subjects; a session id that is not one subject token is reported and not published. */
  #lane(sessionId: string): LaneSubjects | undefined {
    let lane = this.#known.get(sessionId);
    if (lane) return lane;
    try {
      lane = { eventSubject: sessionSubject(this.host, sessionId, 'event'), lifecycleSubject: sessionSubject(this.host, sessionId, 'lifecycle') };
    } catch (error) {
      this.#report('publish', error);
      return undefined;
    }
    if (this.#ended.has(sessionId)) return lane;
    this.#known.set(sessionId, lane);
    this.#outbox?.pushLifecycle(sessionId, lane, { type: 'session.created', at: Date.now(), instance: this.#instance });
    return lane;
  }

  /** The session ended: `session.destroyed` once, then its outbox lane and entries go (a long-running host keeps none). */
  #end(sessionId: string): void {
    const lane = this.#known.get(sessionId);
    if (!lane) return;
    this.#outbox?.pushLifecycle(sessionId, lane, { type: 'session.destroyed', at: Date.now() });
    this.#outbox?.retireLane(sessionId);
    this.#known.delete(sessionId);
    this.#watches.get(sessionId)?.unsubscribe();
    this.#watches.delete(sessionId);
    this.#turns.forget(sessionId);
    this.#ended.add(sessionId);
    if (this.#ended.size > ENDED_SESSIONS_REMEMBERED) this.#ended.delete(this.#ended.values().next().value!);
    if (this.#sessions.delete(sessionId)) this.#beatNow();
  }

  #lifecycle(sessionId: string, record: LifecycleRecord): void {
    const lane = this.#lane(sessionId);
    if (lane) this.#outbox?.pushLifecycle(sessionId, lane, record);
  }

  /**
   * A remote turn failed after its send was answered: its consumer waits for an end its events may
   * never bring (the CLI died before an idle), so a `turn.failed` record naming the turn tells it.
   * Runs in the turn's error callback: nothing it throws may escape there.
   */
  #turnFailed(sessionId: string, turnId: string | undefined, error: unknown): void {
    // The agent's own failure is its session.error event, which ends the consumer's turn with core's
    // SessionError. A record too would race it (the consumer reads events and lifecycle through two
    // consumers with no order between them) and could fail the turn with FleetTurnFailedError instead.
    if (error instanceof SessionError) return;
    this.#report('control', error);
    try {
      const code = (error as { code?: unknown } | null)?.code;
      const message = error instanceof Error ? error.message : quote(error);
      this.#lifecycle(sessionId, {
        type: 'turn.failed',
        ...(turnId !== undefined ? { turnId } : {}),
        code: typeof code === 'string' ? clip(code, 64) : 'UNKNOWN',
        message: clip(message),
        at: Date.now(),
      });
      // A session that ended (the CLI shut it down under the turn) keeps no lane: this record is its last.
      if (this.#ended.has(sessionId)) this.#outbox?.retireLane(sessionId);
    } catch (failure) {
      this.#report('lifecycle', failure);
    }
  }

  #host(session: RxSession, client: CopilotRxClient): void {
    this.#sessions.set(session.id, { session, client });
    // A session resumed under the id of one that ended is announced again.
    this.#ended.delete(session.id);
    this.#lane(session.id);
    this.#beatNow();
    // The session ends when its RxSession does: destroyed (here or by the process that adopted it), or
    // its connection gone for good (a durable reconnect keeps it open, so a resumed session stays hosted).
    const ended = () => this.#endHosted(session);
    const watch = session.events$.subscribe({ complete: ended, error: ended });
    // Kept per session and let go at its end: a long-running host holds nothing of ended sessions.
    if (this.#sessions.get(session.id)?.session === session) this.#watches.set(session.id, watch);
  }

  #endHosted(session: RxSession): void {
    if (this.#stopping || this.#sessions.get(session.id)?.session !== session) return;
    // Its turns, running or queued, end on their own: they read the same events$.
    this.#sessions.delete(session.id);
    this.#end(session.id);
  }

  /** The session count changed: tell consumers now rather than at the next beat. */
  #beatNow(): void {
    this.#beacon?.beat().catch((error: unknown) => this.#report('health', error));
  }

  async #handle(verb: ControlVerb, sessionId: string, request: unknown): Promise<Record<string, unknown>> {
    if (this.#stopping) throw new ControlRefusal('HOST_STOPPING', `host ${this.host} is stopping`);
    if (verb === 'create') return this.#create((request as { config: RemoteSessionConfig }).config);
    const hosted = this.#sessions.get(sessionId);
    if (!hosted) throw new ControlRefusal('UNKNOWN_SESSION', `host ${this.host} has no session ${sessionId}`);
    switch (verb) {
      // A local turn: the client's turn queue and busy tracking count it like one of this process.
      case 'send':
        return this.#turns.send(hosted.session, request as RemoteSend);
      case 'abort':
        this.#turns.dropWaiting(sessionId, 'ABORTED', `the turn was aborted while it waited for a turn slot on host ${this.host}`);
        await hosted.session.abort();
        return {};
      case 'answerPermission': {
        const { requestId, decision } = request as { requestId: string; decision: never };
        if (!this.#prompts.answerPermission(promptKey(sessionId, requestId), decision)) throw noPrompt('permission', sessionId, requestId);
        return {};
      }
      case 'answerUserInput': {
        const { requestId, response } = request as { requestId: string; response: never };
        if (!this.#prompts.answerUserInput(promptKey(sessionId, requestId), response)) throw noPrompt('user input', sessionId, requestId);
        return {};
      }
      case 'destroy':
        this.#sessions.delete(sessionId);
        this.#turns.dropAll(sessionId, 'ABORTED', `session ${sessionId} was destroyed before the turn ended`);
        try {
          await hosted.session.destroy();
        } finally {
          // Even when the CLI refused the destroy (its error is the reply): the session is no longer
          // hosted, so its watch, entry and lane must go and consumers see it destroyed.
          this.#end(sessionId);
          this.#beatNow();
        }
        return {};
    }
  }

  async #create(remote: RemoteSessionConfig): Promise<Record<string, unknown>> {
    const { sessionId = randomUUID(), ...fields } = remote;
    assertToken('sessionId', sessionId);
    const refused = refusedRemoteFields(remote, this.#remoteConfig);
    if (refused.length > 0) {
      const policy = typeof this.#remoteConfig === 'string' ? `'${this.#remoteConfig}'` : `[${this.#remoteConfig.join(', ')}]`;
      throw new ControlRefusal('CONFIG_REFUSED', `host ${this.host} does not let a remote create choose ${refused.join(', ')} (remoteConfig: ${policy}); its sessionDefaults apply`);
    }
    const client = this.#leastBusyClient();
    const defaults = this.#options.sessionDefaults ?? {};
    const session = await client.createSession({
      ...defaults,
      ...(fields as Partial<SessionConfig>),
      sessionId,
      // Remote operators answer prompts; with nobody answering, core denies/declines at the deadline.
      onPermissionRequest: (request, context) => this.#prompts.waitPermission(promptKey(sessionId, request.requestId), context.signal),
      onUserInput: (request, context) => {
        const requestId = randomUUID();
        const wait = this.#prompts.waitUserInput(promptKey(sessionId, requestId), context.signal);
        this.#lifecycle(sessionId, { type: 'user_input.requested', requestId, question: request.question, choices: request.choices ?? [], at: Date.now() });
        return wait;
      },
    });
    this.#host(session, client);
    return { sessionId };
  }

  #leastBusyClient(): CopilotRxClient {
    const counts = new Map(this.#options.clients.map((client) => [client, 0]));
    for (const { client } of this.#sessions.values()) counts.set(client, (counts.get(client) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => a[1] - b[1])[0]![0];
  }

  #healthRecord(): HealthRecord {
    const stats = this.outboxStats;
    const cliVersions = this.#options.clients.flatMap((client) => (client.state.status === 'connected' && client.state.cliVersion ? [client.state.cliVersion] : []));
    return {
      host: this.host,
      pid: process.pid,
      startedAt: this.#startedAt,
      instance: this.#instance,
      heartbeatAt: Date.now(),
      ttlMs: this.#ttlMs,
      cliVersions,
      sessions: this.#sessions.size,
      outbox: { pending: stats.pending, dropped: stats.dropped },
    };
  }

  #report(where: FleetHostProblem['where'], error: unknown): void {
    if (!this.#problems.closed) this.#problems.next({ where, error });
  }
}

/** Ended session ids a host remembers to recognise their stragglers: ~100 KB at most. */
const ENDED_SESSIONS_REMEMBERED = 1_000;

function noPrompt(kind: string, sessionId: string, requestId: string): ControlRefusal {
  return new ControlRefusal('NO_PENDING_PROMPT', `no ${kind} prompt ${requestId} waits on session ${sessionId} (answered, timed out, or never asked)`);
}

function defaultPublisher(js: JetStreamClient, timeout: number): Publisher {
  return async (subject, payload, msgId) => {
    await js.publish(subject, payload, { msgID: msgId, timeout });
  };
}
