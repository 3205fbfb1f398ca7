/**
 * Every session of the fleet with its state, from the lifecycle records in the stream (all of them,
 * so a late consumer sees sessions created before it) and the hosts' health: a session that was not
 * destroyed on a host that is down, or that no longer has a health record, is `lost`; so is one that
 * an earlier process of its host announced (a host killed and started again under the same name does
 * not have its old sessions, though its name is up again). "Earlier" is told by the process's random
 * `instance` when both records carry one, and only otherwise by the host's clock (`createdAt` before
 * `startedAt`), which a name moved to a machine whose clock is behind would get wrong.
 */
import { combineLatest, map, Observable, scan, startWith } from 'rxjs';
import type { JetStreamClient } from '@nats-io/jetstream';
import { FleetDecodeError } from '../errors.js';
import { NOT_SESSION_TOKENS, parseSubject, sessionSubject } from '../subjects.js';
import type { LifecycleRecord } from '../wire/records.js';
import { decodeLifecycle } from './decodeLifecycle.js';
import type { HostStatus } from './hostsView.js';
import { readStream } from './readStream.js';
import type { StreamWait } from './streamWait.js';

export type SessionState = 'idle' | 'busy' | 'destroyed' | 'lost';

export interface SessionStatus {
  readonly host: string;
  readonly sessionId: string;
  readonly state: SessionState;
  /**
   * The host's clock when it announced the session (`session.created`; the first record read, when
   * the stream no longer holds that one). Compared with the host's own `startedAt` only, so clocks of
   * different machines never meet.
   */
  readonly createdAt: number;
  /** The id of the host process that announced the session (`session.created`'s `instance`), when it sent one. */
  readonly instance?: string;
  /** Events the host's outbox could not keep (see `events.dropped` records). */
  readonly droppedEvents: number;
  /** An open user-input prompt, answered with `session(host, id).answerUserInput(requestId, ...)`. */
  readonly userInput?: { readonly requestId: string; readonly question: string; readonly choices: readonly string[] };
}

type Known = Map<string, Omit<SessionStatus, 'state'> & { readonly state: Exclude<SessionState, 'lost'> }>;

export function lifecycleRecords(js: JetStreamClient, onDecodeFailure: (error: FleetDecodeError) => void, wait?: StreamWait): Observable<{ host: string; sessionId: string; record: LifecycleRecord }> {
  return new Observable((subscriber) =>
    readStream(js, { filter: sessionSubject('*', '*', 'lifecycle'), deliver: 'all', wait }).subscribe({
      next: (msg) => {
        // A '*' filter matches any token, so a publisher may name a host or session no `session()` takes.
        const where = parseSubject(msg.subject);
        if (!where) return onDecodeFailure(new FleetDecodeError(msg.subject, [NOT_SESSION_TOKENS], msg.string()));
        const record = decodeLifecycle(msg);
        if (record instanceof FleetDecodeError) return onDecodeFailure(record);
        subscriber.next({ host: where.host, sessionId: where.sessionId, record });
      },
      error: (error: unknown) => subscriber.error(error),
    }),
  );
}

export function sessionsView(
  records$: Observable<{ host: string; sessionId: string; record: LifecycleRecord }>,
  hosts$: Observable<readonly HostStatus[]>,
): Observable<readonly SessionStatus[]> {
  const known$ = records$.pipe(
    scan((known: Known, { host, sessionId, record }) => {
      const key = `${host}.${sessionId}`;
      const was = known.get(key) ?? { host, sessionId, state: 'idle' as const, createdAt: record.at, droppedEvents: 0 };
      // Destroyed is the end: records may follow it (the host publishes session.destroyed when the
      // RxSession ends, and the turn that ended with it then its turn.failed; a straggler's busy/idle).
      // Only a new session.created (the host resumed a session under that id) brings it back.
      if (was.state === 'destroyed' && record.type !== 'session.created') return known;
      switch (record.type) {
        case 'session.created':
          // Announced again by a later process of its host (it resumed the session): it lives there now.
          {
            const { instance: _previous, ...kept } = was;
            const announced = { createdAt: record.at, ...(record.instance === undefined ? {} : { instance: record.instance }) };
            known.set(key, was.state === 'destroyed' ? { host, sessionId, state: 'idle', droppedEvents: 0, ...announced } : { ...kept, ...announced });
          }
          break;
        case 'session.busy':
        case 'session.idle':
        // A turn that failed (its CLI died or restarted) may never bring its idle: nothing runs any more.
        case 'turn.failed': {
          const { userInput: _answered, ...rest } = was;
          const busy = record.type === 'session.busy';
          known.set(key, { ...(busy ? was : rest), state: busy ? 'busy' : 'idle' });
          break;
        }
        case 'session.destroyed':
          known.set(key, { ...was, state: 'destroyed' });
          break;
        case 'user_input.requested':
          known.set(key, { ...was, userInput: { requestId: record.requestId, question: record.question, choices: record.choices } });
          break;
        case 'events.dropped':
          known.set(key, { ...was, droppedEvents: was.droppedEvents + record.count });
          break;
      }
      return known;
    }, new Map()),
    startWith(new Map() as Known),
  );
  // hosts$ emits its first list once loaded; a session whose host is down, or has no health record
  // at all (it aged out), is lost, and so is one an earlier process of its host announced: a host
  // restarted under its name has none of its predecessor's sessions.
  return combineLatest([known$, hosts$]).pipe(
    map(([known, hosts]) => {
      const up = new Map(hosts.filter((host) => host.up).map((host) => [host.host, host]));
      const lost = (status: SessionStatus) => {
        if (status.state === 'destroyed') return false;
        const host = up.get(status.host);
        return host === undefined || fromEarlierProcess(status, host);
      };
      return [...known.values()].map((status): SessionStatus => (lost(status) ? { ...status, state: 'lost' } : status));
    }),
  );
}

/**
 * Process identity when both sides carry it; the clock comparison (both the host's own clock) only for
 * records of hosts that send no `instance`, or a session whose `session.created` the stream no longer holds.
 */
function fromEarlierProcess(status: SessionStatus, host: HostStatus): boolean {
  if (status.instance !== undefined && host.instance !== undefined) return status.instance !== host.instance;
  return status.createdAt < host.startedAt;
}
