import { asyncScheduler, EMPTY, filter, groupBy, map, mergeMap, Subject, Subscription, type Observable, type SchedulerLike } from 'rxjs';
import type { CopilotFleet, FleetEvent, HostStatus, RemoteSession, SessionState, SessionStatus } from '@copilot-rx/fleet';
import { describeError } from '../describeError';
import type { DashboardStore } from '../model/DashboardStore';
import { trackSession } from '../model/trackSession';
import { emptyRow } from '../model/view';
import { HttpError } from '../server/HttpError';
import type { CreateSessionRequest, DashboardSessions } from '../sessions/DashboardSessions';
import { DENIED_IN_DASHBOARD, type Decision } from '../sessions/PermissionBroker';
import { UnknownSessionError } from '../sessions/SessionManager';
import { controlHttpError } from './controlErrors';
import { hostView, pickHost } from './hostViews';

/** What the dashboard uses of a CopilotFleet (a stand-in in the unit specs). */
export type FleetSource = Pick<CopilotFleet, 'hosts$' | 'sessions$' | 'events' | 'session' | 'createSession'>;

/** Shown until a session's first model call names its model. */
const UNKNOWN_MODEL = '—';

/**
 * Destroyed sessions kept on the page, newest first; older ones are removed (their transcripts and
 * their part of the event read with them), so a dashboard watching a busy fleet for weeks stays
 * bounded. Lost sessions are kept: that a host went down with work on it is what the page is for.
 */
export const MAX_DESTROYED_SESSIONS = 50;

/** The dashboard's id of a fleet session: unique across hosts (neither part can hold a '.': both are NATS subject tokens). */
export const fleetSessionKey = (host: string, sessionId: string): string => `${host}.${sessionId}`;

/**
 * The sessions of every host of a fleet, shown and driven through the broker:
 * - the hosts table from `hosts$`;
 * - every session from `sessions$` (created here, elsewhere, or before the dashboard started), with
 *   the host's word on it (`lost` when its host went down);
 * - what each session did from ONE read of the fleet's events from the start of the stream, split per
 *   session and fed to the same `trackSession` the embedded mode uses (one broker consumer, whatever
 *   the fleet's size: a consumer per session would cost the broker a thousand at 50 hosts × 20);
 * - prompts, aborts, permission answers and creates through the hosts' control services.
 */
export class FleetSessionManager implements DashboardSessions {
  readonly #sessions = new Map<string, { readonly remote: RemoteSession; state: SessionState | undefined }>();
  readonly #subscriptions = new Subscription();
  /** Destroyed sessions in the order they ended, oldest first. */
  readonly #destroyed: string[] = [];
  readonly #removed = new Subject<string>();
  /**
   * The keys of removed sessions: sessions$ keeps listing them and a replay from the start reads their
   * events again, and neither may bring them back. Keys only, a few dozen bytes each.
   */
  readonly #gone = new Set<string>();
  #hosts: readonly HostStatus[] = [];

  constructor(
    private readonly fleet: FleetSource,
    private readonly store: DashboardStore,
    private readonly log: (line: string) => void,
    private readonly scheduler: SchedulerLike = asyncScheduler,
  ) {}

  /** Starts showing the fleet. A read that fails (the broker refused this user, the connection closed) is logged. */
  start(): void {
    const failed = (what: string) => (error: unknown) => this.log(`copilot-rx: the fleet's ${what} ended: ${describeError(error)}`);
    this.#subscriptions.add(
      this.fleet.hosts$.subscribe({
        next: (hosts) => {
          this.#hosts = hosts;
          this.store.apply({ kind: 'hosts', hosts: hosts.map(hostView) });
        },
        error: failed('hosts'),
      }),
    );
    this.#subscriptions.add(this.fleet.sessions$.subscribe({ next: (all) => all.forEach((status) => this.#sync(status)), error: failed('sessions') }));
    this.#subscriptions.add(this.#sessionPatches(this.fleet.events('start')).subscribe({ next: (patch) => this.store.apply(patch), error: failed('events') }));
  }

  async create({ label, host: named }: CreateSessionRequest): Promise<string> {
    const choice = pickHost(this.#hosts, named);
    if ('refusal' in choice) throw new HttpError(choice.refusal.status, choice.refusal.message);
    const remote = await this.fleet.createSession(choice.host).catch((error: unknown) => Promise.reject(controlHttpError(error)));
    return this.#show(remote.host, remote.id, label);
  }

  send(sessionId: string, prompt: string): void {
    const { remote } = this.#get(sessionId);
    this.#subscriptions.add(
      remote.send(prompt).subscribe({
        error: (error: unknown) => {
          // A session.error is in the events the page already shows; anything else is not.
          if ((error as { code?: unknown }).code !== 'SESSION_ERROR') this.#notice(sessionId, `The turn failed: ${describeError(controlHttpError(error))}`);
        },
      }),
    );
  }

  async abort(sessionId: string): Promise<void> {
    await this.#get(sessionId).remote.abort().catch((error: unknown) => Promise.reject(controlHttpError(error)));
  }

  async decide(sessionId: string, requestId: string, decision: Decision): Promise<boolean> {
    const { remote } = this.#get(sessionId);
    try {
      await remote.answerPermission(requestId, decision === 'approve' ? { kind: 'approve-once' } : { kind: 'reject', feedback: DENIED_IN_DASHBOARD });
      return true;
    } catch (error) {
      if ((error as { reason?: unknown }).reason === 'NO_PENDING_PROMPT') return false;
      throw controlHttpError(error);
    }
  }

  /** Stops the reads and the turns this dashboard started (unsubscribing a turn aborts it on its host). */
  dispose(): void {
    this.#subscriptions.unsubscribe();
  }

  #sessionPatches(events$: Observable<FleetEvent>) {
    return events$.pipe(
      groupBy(({ host, sessionId }) => fleetSessionKey(host, sessionId), {
        // A removed session's group ends, which completes its trackSession and frees it.
        duration: (group) => this.#removed.pipe(filter((key) => key === group.key)),
      }),
      // The group is subscribed (by trackSession's parts) before its first event is pushed into it.
      mergeMap((group) => {
        if (this.#gone.has(group.key)) return EMPTY;
        const [host, sessionId] = [group.key.slice(0, group.key.indexOf('.')), group.key.slice(group.key.indexOf('.') + 1)];
        const key = this.#show(host, sessionId);
        return trackSession(key, UNKNOWN_MODEL, group.pipe(map(({ event }) => event)), this.scheduler);
      }),
    );
  }

  #sync(status: SessionStatus): void {
    if (this.#gone.has(fleetSessionKey(status.host, status.sessionId))) return;
    const key = this.#show(status.host, status.sessionId);
    const known = this.#sessions.get(key)!;
    if (known.state === status.state) return;
    known.state = status.state;
    this.store.apply({ kind: 'remote-state', sessionId: key, state: status.state });
    if (status.state === 'destroyed') {
      this.#destroyed.push(key);
      if (this.#destroyed.length > MAX_DESTROYED_SESSIONS) this.#remove(this.#destroyed.shift()!);
    }
  }

  #remove(key: string): void {
    this.#sessions.delete(key);
    this.#gone.add(key);
    this.#removed.next(key);
    this.store.apply({ kind: 'session-removed', id: key });
  }

  /** Adds the session to the page once (from whichever of create, sessions$ or its events comes first); returns its key. */
  #show(host: string, sessionId: string, label?: string): string {
    const key = fleetSessionKey(host, sessionId);
    if (this.#sessions.has(key)) return key;
    this.#sessions.set(key, { remote: this.fleet.session(host, sessionId), state: undefined });
    this.store.apply({
      kind: 'session-added',
      session: { id: key, label: label ?? sessionId.slice(0, 8), host, row: emptyRow(UNKNOWN_MODEL), transcript: [], tools: [], permissions: [] },
    });
    return key;
  }

  #get(sessionId: string) {
    const session = this.#sessions.get(sessionId);
    if (session === undefined) throw new UnknownSessionError(sessionId);
    return session;
  }

  #notice(sessionId: string, text: string): void {
    this.store.apply({ kind: 'entry', sessionId, entry: { kind: 'notice', level: 'error', text } });
  }
}
