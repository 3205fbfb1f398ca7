/**
 * CopilotFleet: every Copilot CLI published by FleetHosts, as Observables: `hosts$`, `sessions$`,
 * `events$`, and `session(host, id)` shaped like a local RxSession. Reads are cold (each subscription
 * is its own JetStream ordered consumer); what NATS lets this user do decides what works: a watch-only
 * user reads everything, and control requests fail with PERMISSION_DENIED.
 *
 * A consumer may start before any host: until the first host (or an administrator) creates the
 * stream and the hosts bucket, reads wait for them, looking again every `streamRetryMs`, and then
 * proceed; `hosts$` (so `sessions$`) emits `[]` at once meanwhile. Unsubscribing cancels the wait.
 * Any other error, like a permission the broker refused or a closed connection, ends the read.
 */
import { asyncScheduler, catchError, defer, NEVER, shareReplay, Subject, type Observable, type SchedulerLike } from 'rxjs';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { openConnection, type FleetConnection } from '../connection.js';
import { FleetHostsWatchError, type FleetDecodeError } from '../errors.js';
import { assertToken, HOSTS_BUCKET } from '../subjects.js';
import type { RemoteSessionConfig } from '../wire/control.js';
import { connectionStatus, type ConnectionStatusWatch, type FleetConnectionStatus } from './connectionStatus.js';
import { controlClient, DEFAULT_SEND_TIMEOUT_MS, type ControlRequest } from './controlClient.js';
import { fleetEvents, type FleetEvent, type ReplayFrom } from './fleetEvents.js';
import { hostsView, type HostStatus } from './hostsView.js';
import { RemoteSession } from './RemoteSession.js';
import { sessionFeed } from './sessionFeed.js';
import { lifecycleRecords, sessionsView, type SessionStatus } from './sessionsView.js';
import { DEFAULT_STREAM_RETRY_MS, type StreamWait } from './streamWait.js';

export interface CopilotFleetOptions {
  readonly nats: FleetConnection;
  /** How long a control request waits for the host's reply. Default: 10 000 ms. */
  readonly controlTimeoutMs?: number;
  /**
   * How long a remote send waits for its turn to start on the host, whose `maxConcurrentTurns` queue
   * may hold it behind other turns; then the turn fails with FleetTimeoutError and leaves that queue.
   * The turn's live read must be ready within as long before the send goes out (a read waits for a
   * stream no host has created yet). Default: 120 000 ms.
   */
  readonly sendTimeoutMs?: number;
  /** Event ids remembered per read to drop repeats. Default: core's DEFAULT_DEDUPE_WINDOW. */
  readonly dedupeWindow?: number;
  /**
   * How often a read started before the stream or the hosts bucket exists looks for it again.
   * Default: 1 000 ms.
   */
  readonly streamRetryMs?: number;
  /** Drives the hosts' health deadlines, the waits for the stream and turns' silence clocks. Default: asyncScheduler. */
  readonly scheduler?: SchedulerLike;
}

export class CopilotFleet {
  readonly #decodeErrors = new Subject<FleetDecodeError>();
  readonly #controlFailures = new Subject<unknown>();
  readonly #nc: NatsConnection;
  readonly #owned: boolean;
  readonly #js: JetStreamClient;
  readonly #control: ControlRequest;
  readonly #options: CopilotFleetOptions;
  readonly #wait: StreamWait;
  readonly #status: ConnectionStatusWatch;
  /**
   * One hosts watch for every remote turn of this fleet (a KV watch each would cost a consumer a turn),
   * replaying its latest list to a turn that joins; it stops when the last turn ends. A watch that
   * fails (a user allowed to control but not to watch the bucket) must not fail the turns: they go on
   * without host-down detection, and the first such failure of this fleet is reported.
   */
  readonly #turnHosts$: Observable<readonly HostStatus[]> = defer(() => this.hosts$).pipe(
    catchError((error: unknown) => {
      if (!this.#hostsWatchFailed) this.#controlFailures.next(new FleetHostsWatchError({ cause: error }));
      this.#hostsWatchFailed = true;
      return NEVER;
    }),
    shareReplay({ bufferSize: 1, refCount: true }),
  );
  #hostsWatchFailed = false;

  /** Messages on fleet subjects that did not decode (with subject and raw value); the reads go on. */
  readonly decodeErrors$: Observable<FleetDecodeError> = this.#decodeErrors.asObservable();
  /**
   * Remote aborts that failed after a turn was unsubscribed, and the first failure of the hosts watch
   * remote turns share (FleetHostsWatchError: turns then go on without seeing their host go down).
   */
  readonly controlFailures$: Observable<unknown> = this.#controlFailures.asObservable();
  /**
   * The broker connection: connected, reconnecting or closed; the current state first; completes at
   * `close()` (after `closed` when the fleet owned the connection; where it stands when it was the app's,
   * which stays open).
   */
  readonly status$: Observable<FleetConnectionStatus>;

  /** Use `CopilotFleet.connect()`. */
  private constructor(nc: NatsConnection, owned: boolean, options: CopilotFleetOptions) {
    this.#nc = nc;
    this.#owned = owned;
    this.#options = options;
    this.#wait = { retryMs: options.streamRetryMs ?? DEFAULT_STREAM_RETRY_MS, scheduler: options.scheduler ?? asyncScheduler };
    this.#js = jetstream(nc);
    this.#control = controlClient(nc, { controlMs: options.controlTimeoutMs ?? 10_000, sendMs: options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS });
    this.#status = connectionStatus(nc);
    this.status$ = this.#status.status$;
  }

  /** @throws RangeError naming the option, for a `streamRetryMs` or `sendTimeoutMs` that is not a positive number. */
  static async connect(options: CopilotFleetOptions): Promise<CopilotFleet> {
    for (const option of ['streamRetryMs', 'sendTimeoutMs'] as const) {
      const ms = options[option];
      if (ms !== undefined && !(ms > 0)) throw new RangeError(`${option} must be a positive number of milliseconds. Got ${String(ms)}`);
    }
    const { nc, owned } = await openConnection(options.nats, 'copilot-rx fleet consumer');
    return new CopilotFleet(nc, owned, options);
  }

  /** Every host that published health, up or down, sorted by name; re-emitted on every change. */
  get hosts$(): Observable<readonly HostStatus[]> {
    const { retryMs, scheduler } = this.#wait;
    return hostsView(() => new Kvm(this.#nc).open(HOSTS_BUCKET), scheduler, (error) => this.#decodeErrors.next(error), retryMs);
  }

  /** Every session on every host with its state (`lost` when its host is down); re-emitted on every change. */
  get sessions$(): Observable<readonly SessionStatus[]> {
    return sessionsView(lifecycleRecords(this.#js, (error) => this.#decodeErrors.next(error), this.#wait), this.hosts$);
  }

  /** Every session event of the fleet from now on, decoded and de-duplicated. */
  get events$(): Observable<FleetEvent> {
    return this.events('live');
  }

  /** The fleet's events from a position (all hosts and sessions, or one host with `host`). */
  events(from: ReplayFrom, host: string | '*' = '*'): Observable<FleetEvent> {
    return this.#events(host, '*', from);
  }

  /** One session, shaped like a local RxSession. */
  session(host: string, sessionId: string): RemoteSession {
    assertToken('host', host);
    assertToken('sessionId', sessionId);
    return new RemoteSession(host, sessionId, {
      events: (from, onReady) => this.#events(host, sessionId, from, onReady),
      feed: (onReady) =>
        sessionFeed(this.#js, {
          host,
          sessionId,
          onReady,
          dedupeWindow: this.#options.dedupeWindow,
          wait: this.#wait,
          onDecodeFailure: (error) => this.#decodeErrors.next(error),
        }),
      control: this.#control,
      sendTimeoutMs: this.#options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
      reportAbortFailure: (error) => this.#controlFailures.next(error),
      hosts$: this.#turnHosts$,
      scheduler: this.#wait.scheduler,
    });
  }

  /** Creates a session on a host (through its control service) and returns it. */
  async createSession(host: string, config: RemoteSessionConfig = {}): Promise<RemoteSession> {
    const { sessionId } = await this.#control(host, 'create', undefined, { config });
    return this.session(host, String(sessionId));
  }

  /** Closes the NATS connection if the fleet opened it; reads still subscribed then stop delivering (unsubscribe them first). */
  async close(): Promise<void> {
    this.#decodeErrors.complete();
    this.#controlFailures.complete();
    if (this.#owned) {
      await this.#nc.close();
      // status$ shows `closed` first: its own reaction to closed() was registered before this one.
      await this.#nc.closed();
    }
    this.#status.stop();
  }

  #events(host: string, sessionId: string, from: ReplayFrom, onReady?: () => void): Observable<FleetEvent> {
    return fleetEvents(this.#js, {
      host,
      sessionId,
      from,
      onReady,
      dedupeWindow: this.#options.dedupeWindow,
      wait: this.#wait,
      onDecodeFailure: (error) => this.#decodeErrors.next(error),
    });
  }
}
