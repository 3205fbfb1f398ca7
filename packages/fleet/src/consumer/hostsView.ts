/**
 * Which hosts are up: the `copilot_hosts` KV bucket watched (its current records first, then every
 * change), each host marked down when its record's `heartbeatAt + ttlMs` passes with no newer one, or
 * at once when it deleted its record (a clean stop). Time runs on the given scheduler.
 *
 * The first list comes once the bucket's current records are read. A host whose record aged out
 * before this subscription is not listed at all (its sessions then show as lost in sessions$).
 *
 * Before any host has created the bucket, the first list is `[]` at once ("no hosts yet", not
 * silence), and the bucket is looked for again every `wait.retryMs` on the scheduler until it exists;
 * any other error (permission denied, connection closed) is this Observable's error.
 *
 * The deadline counts from the broker's timestamp of the record (`created`), so hosts' clocks do not
 * matter; a record stamped ahead of the consumer's clock (skew) still expires no later than a TTL
 * after it was read.
 */
import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { KV } from '@nats-io/kv';
import { FleetDecodeError } from '../errors.js';
import { isToken, NOT_SESSION_TOKENS } from '../subjects.js';
import { HealthRecord } from '../wire/records.js';
import { reportErrors } from '../wire/reportErrors.js';
import { DEFAULT_STREAM_RETRY_MS, isRequestTimeout, isStreamMissing } from './streamWait.js';

/** The longest hosts$ waits for the bucket's current records before its first list. */
const INITIAL_LOAD_BOUND_MS = 2_000;

export interface HostStatus {
  readonly host: string;
  readonly up: boolean;
  /** Broker time (ms since the epoch) of the last heartbeat. */
  readonly lastSeen: number;
  /**
   * The host process's own clock when it started (its health record's `startedAt`): a session it
   * announced before that belongs to an earlier process under the same name.
   */
  readonly startedAt: number;
  /**
   * The host process's random id (its health record's `instance`; absent from older hosts): a session
   * announced with another one belongs to an earlier process, whatever the clocks say.
   */
  readonly instance?: string;
  /** 'stopped' when the host deleted its record, 'expired' when its heartbeats stopped. */
  readonly downReason?: 'stopped' | 'expired';
  readonly cliVersions: readonly string[];
  readonly sessions: number;
  readonly outbox: { readonly pending: number; readonly dropped: number };
  readonly ttlMs: number;
}

export function hostsView(
  openKv: () => Promise<KV>,
  scheduler: SchedulerLike,
  onDecodeFailure: (error: FleetDecodeError) => void,
  retryMs = DEFAULT_STREAM_RETRY_MS,
): Observable<readonly HostStatus[]> {
  return new Observable<readonly HostStatus[]>((subscriber) => {
    const hosts = new Map<string, HostStatus>();
    const expiries = new Map<string, Subscription>();
    let stop: (() => void) | undefined;
    let stopped = false;
    let retry: Subscription | undefined;
    // Nothing is emitted until the bucket's current records are in: a half-loaded list would show
    // sessions$ the sessions of hosts not yet read as lost. A bounded wait covers a record that aged
    // out between the count and the watch.
    let loaded = false;
    const emit = () => {
      if (loaded) subscriber.next([...hosts.values()].sort((a, b) => a.host.localeCompare(b.host)));
    };
    const markLoaded = () => {
      if (loaded) return;
      loaded = true;
      loadBound.unsubscribe();
      emit();
    };
    const loadBound = scheduler.schedule(markLoaded, INITIAL_LOAD_BOUND_MS);
    const markDown = (host: string, downReason: 'stopped' | 'expired') => {
      const status = hosts.get(host);
      expiries.get(host)?.unsubscribe();
      expiries.delete(host);
      if (status?.up) {
        hosts.set(host, { ...status, up: false, downReason });
        emit();
      }
    };
    const readBucket = async () => {
      const kv = await openKv();
      if (stopped) return;
      const empty = (await kv.status()).values === 0;
      const watch = await kv.watch();
      stop = () => watch.stop();
      if (stopped) return stop();
      if (empty) markLoaded();
      for await (const entry of watch) {
        const last = entry.isUpdate || entry.delta === 0;
        if (entry.operation !== 'PUT') {
          markDown(entry.key, 'stopped');
          if (last) markLoaded();
          continue;
        }
        let record: unknown;
        try {
          record = entry.json();
        } catch {
          record = entry.string();
        }
        const decoded = HealthRecord.decode(record);
        // The key is the host's name in every subject: one that `session(host, id)` refuses is not listed.
        if (isLeft(decoded) || !isToken('host', entry.key)) {
          if (last) markLoaded();
          const problems = isLeft(decoded) ? reportErrors(decoded.left) : [`the key is not a host name: ${NOT_SESSION_TOKENS}`];
          onDecodeFailure(new FleetDecodeError(`$KV.copilot_hosts.${entry.key}`, problems, record));
          continue;
        }
        const health = decoded.right;
        const lastSeen = entry.created.getTime();
        const left = health.ttlMs - Math.max(0, scheduler.now() - lastSeen);
        const { ttlMs, cliVersions, sessions, outbox, startedAt, instance } = health;
        hosts.set(entry.key, {
          host: entry.key,
          up: left > 0,
          lastSeen,
          startedAt,
          ...(instance === undefined ? {} : { instance }),
          cliVersions,
          sessions,
          outbox,
          ttlMs,
          ...(left > 0 ? {} : { downReason: 'expired' as const }),
        });
        expiries.get(entry.key)?.unsubscribe();
        if (left > 0) expiries.set(entry.key, scheduler.schedule(() => markDown(entry.key, 'expired'), left));
        if (last && !loaded) markLoaded();
        else emit();
      }
    };
    const attempt = () => {
      readBucket().catch((error: unknown) => {
        if (stopped) return;
        // Right after a broker restart its JetStream may not answer for a while: look again, and keep
        // the list as it was (the load bound still sends a first one), since the hosts are not gone.
        if (isRequestTimeout(error)) return void (retry = scheduler.schedule(attempt, retryMs));
        if (!isStreamMissing(error)) return subscriber.error(error);
        // No host has created the bucket yet. The next look is scheduled before the empty list goes
        // out: a subscriber that leaves on that list (take(1)) must find it to cancel.
        retry = scheduler.schedule(attempt, retryMs);
        markLoaded();
      });
    };
    attempt();
    return () => {
      stopped = true;
      retry?.unsubscribe();
      loadBound.unsubscribe();
      stop?.();
      for (const expiry of expiries.values()) expiry.unsubscribe();
    };
  });
}
