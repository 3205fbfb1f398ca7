import { asyncScheduler, EMPTY, filter, groupBy, map, mergeMap, of, Subject, Subscription, type Observable, type SchedulerLike } from 'rxjs';
import type { CopilotFleet, FleetEvent, HostStatus, RemoteSession, SessionState, SessionStatus } from '@copilot-rx/fleet';
import { describeError } from '../describeError';
import type { DashboardStore } from '../model/DashboardStore';
import { trackSession } from '../model/trackSession';
import { emptyRow } from '../model/view';
import { HttpError } from '../server/HttpError';
import { UnknownSessionError, type CreateSessionRequest, type DashboardSessions } from '../sessions/DashboardSessions';
import { DENIED_IN_DASHBOARD, type Decision } from '../sessions/PermissionBroker';
import { controlHttpError } from './controlErrors';
import { hostView, pickHost } from './hostViews';

/** What the dashboard uses of a CopilotFleet (a stand-in in the unit specs). */
export type FleetSource = Pick<CopilotFleet, 'hosts$' | 'sessions$' | 'events' | 'session' | 'createSession'>;

/** Shown until a session's first model call names its model. */
const UNKNOWN_MODEL = '—';

/**
 * Sessions that ended (destroyed, or lost with their host for good) kept on the page, newest first;
 * older ones are removed, with their transcripts and their part of the event read, so a dashboard
 * watching a busy fleet for weeks (every host redeploy loses its sessions) stays bounded.
 */
export const MAX_ENDED_SESSIONS = 50;

/**
 * How long a session may be lost before it counts as ended: an outage of the broker or of this
 * dashboard's network longer than the hosts' TTL shows every host down for a while, and removing
 * their sessions then would throw away transcripts that are fine.
 */
export const LOST_GRACE_MS = 10 * 60_000;

/** Names the fleet would not address, remembered so they are logged once. */
const MAX_REFUSED_REMEMBERED = 10_000;

/**
 * A dashboard turn fails (and is aborted on its host) after this long without an event of its
 * session, not counting the time a prompt waits for an answer: a CLI gone quiet must not hold a turn
 * slot on its host for ever.
 */
export const TURN_SILENCE_MS = 10 * 60_000;

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
  /** Sessions that ended, in the order they did, oldest first (at most MAX_ENDED_SESSIONS + 1). */
  readonly #ended: string[] = [];
  /** Lost sessions waiting out LOST_GRACE_MS before they count as ended. */
  readonly #lostFor = new Map<string, Subscription>();
  readonly #removed = new Subject<string>();
  /**
   * Keys of removed sessions, so neither sessions$ nor a replay brings them back. Not capped here: a
   * cap would let sessions$, which lists every session it ever read, bring the oldest back in turn.
   * It grows with sessions$'s own list (keys only, a few dozen bytes each).
   */
  readonly #gone = new Set<string>();
  /** Keys the fleet would not address (not subject tokens): ignored for good, logged once. */
  readonly #refused = new Set<string>();
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
    // createSession gave an addressable session (it refuses an id that is not a subject token).
    return this.#show(remote.host, remote.id, label)!;
  }

  send(sessionId: string, prompt: string): void {
    const { remote } = this.#get(sessionId);
    this.#subscriptions.add(
      remote.send({ prompt, silenceTimeoutMs: TURN_SILENCE_MS }).subscribe({
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
    for (const timer of this.#lostFor.values()) timer.unsubscribe();
    this.#lostFor.clear();
  }

  #sessionPatches(events$: Observable<FleetEvent>) {
    return events$.pipe(
      // A removed session's events (a replay from the start meets them again) make no group at all.
      filter(({ host, sessionId }) => !this.#gone.has(fleetSessionKey(host, sessionId)) && !this.#refused.has(fleetSessionKey(host, sessionId))),
      groupBy(({ host, sessionId }) => fleetSessionKey(host, sessionId), {
        // A removed session's group ends, which completes its trackSession and frees it. groupBy asks
        // for the duration after it emitted the group, so a name refused then ends its group at once.
        duration: (group) => (this.#refused.has(group.key) ? of(true) : this.#removed.pipe(filter((key) => key === group.key))),
      }),
      // The group is subscribed (by trackSession's parts) before its first event is pushed into it.
      mergeMap((group) => {
        const dot = group.key.indexOf('.');
        const key = this.#show(group.key.slice(0, dot), group.key.slice(dot + 1));
        return key === undefined ? EMPTY : trackSession(key, UNKNOWN_MODEL, group.pipe(map(({ event }) => event)), this.scheduler);
      }),
    );
  }

  #sync(status: SessionStatus): void {
    const key = fleetSessionKey(status.host, status.sessionId);
    if (this.#refused.has(key)) return;
    if (this.#gone.has(key)) {
      if (status.state === 'destroyed' || status.state === 'lost') return;
      // Back from the dead: its host was only cut off and is up again with it (its removed
      // transcript does not come back; what it does from now on shows).
      this.#gone.delete(key);
    }
    if (this.#show(status.host, status.sessionId) === undefined) return;
    const known = this.#sessions.get(key)!;
    if (known.state === status.state) return;
    known.state = status.state;
    this.store.apply({ kind: 'remote-state', sessionId: key, state: status.state });
    this.#lostFor.get(key)?.unsubscribe();
    this.#lostFor.delete(key);
    const at = this.#ended.indexOf(key);
    if (at >= 0) this.#ended.splice(at, 1);
    if (status.state === 'destroyed') this.#endedNow(key);
    if (status.state === 'lost') this.#lostFor.set(key, this.scheduler.schedule(() => (this.#lostFor.delete(key), this.#endedNow(key)), LOST_GRACE_MS));
  }

  #endedNow(key: string): void {
    this.#ended.push(key);
    if (this.#ended.length > MAX_ENDED_SESSIONS) this.#remove(this.#ended.shift()!);
  }

  #remove(key: string): void {
    this.#sessions.delete(key);
    this.#gone.add(key);
    this.#removed.next(key);
    this.store.apply({ kind: 'session-removed', id: key });
  }

  /**
   * Adds the session to the page once (from whichever of create, sessions$ or its events comes first);
   * returns its key, or undefined for a name the fleet cannot address (a host publishing under a
   * subject that is not a valid session id), which is logged once and ignored after.
   */
  #show(host: string, sessionId: string, label?: string): string | undefined {
    const key = fleetSessionKey(host, sessionId);
    if (this.#sessions.has(key)) return key;
    let remote: RemoteSession;
    try {
      remote = this.fleet.session(host, sessionId);
    } catch (error) {
      if (this.#refused.size < MAX_REFUSED_REMEMBERED) this.#refused.add(key);
      this.log(`copilot-rx: the fleet lists a session the dashboard cannot address, ignored: ${describeError(error)}`);
      return undefined;
    }
    this.#sessions.set(key, { remote, state: undefined });
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
