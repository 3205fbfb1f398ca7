import { Subject, type Observable } from 'rxjs';
import type { LifecycleRecord } from '../wire/records';
import type { HostStatus } from './hostsView';
import { sessionsView, type SessionStatus } from './sessionsView';

const host = (name: string, up: boolean, startedAt = 0): HostStatus => ({ host: name, up, lastSeen: 0, startedAt, cliVersions: [], sessions: 0, outbox: { pending: 0, dropped: 0 }, ttlMs: 1000 });

describe('sessionsView', () => {
  it('follows lifecycle records and marks the live sessions of a down host lost', () => {
    const records = new Subject<{ host: string; sessionId: string; record: LifecycleRecord }>();
    const hosts = new Subject<readonly HostStatus[]>();
    let last: readonly SessionStatus[] = [];
    sessionsView(records, hosts as Observable<readonly HostStatus[]>).subscribe((s) => (last = s));
    hosts.next([host('a', true), host('b', true)]);
    records.next({ host: 'a', sessionId: 's1', record: { type: 'session.created', at: 1 } });
    records.next({ host: 'a', sessionId: 's2', record: { type: 'session.created', at: 2 } });
    records.next({ host: 'b', sessionId: 's3', record: { type: 'session.created', at: 3 } });
    records.next({ host: 'a', sessionId: 's1', record: { type: 'session.busy', at: 4 } });
    records.next({ host: 'a', sessionId: 's2', record: { type: 'session.destroyed', at: 5 } });
    records.next({ host: 'b', sessionId: 's3', record: { type: 'events.dropped', count: 7, firstId: 'x', lastId: 'y', at: 6 } });
    expect(last.map((s) => [s.sessionId, s.state])).toEqual([['s1', 'busy'], ['s2', 'destroyed'], ['s3', 'idle']]);
    expect(last[2]!.droppedEvents).toBe(7);
    hosts.next([host('a', false), host('b', true)]);
    expect(last.map((s) => [s.sessionId, s.state])).toEqual([['s1', 'lost'], ['s2', 'destroyed'], ['s3', 'idle']]);
    // A host with no health record at all (it aged out before this consumer came) is gone too.
    hosts.next([host('a', true)]);
    expect(last.map((s) => [s.sessionId, s.state])).toEqual([['s1', 'busy'], ['s2', 'destroyed'], ['s3', 'lost']]);
  });

  it('shows an open user-input prompt until the session is idle again', () => {
    const records = new Subject<{ host: string; sessionId: string; record: LifecycleRecord }>();
    let last: readonly SessionStatus[] = [];
    const hosts = new Subject<readonly HostStatus[]>();
    sessionsView(records, hosts).subscribe((s) => (last = s));
    hosts.next([host('a', true)]);
    records.next({ host: 'a', sessionId: 's', record: { type: 'user_input.requested', requestId: 'r1', question: 'Why?', choices: [], at: 1 } });
    expect(last[0]!.userInput).toEqual({ requestId: 'r1', question: 'Why?', choices: [] });
    records.next({ host: 'a', sessionId: 's', record: { type: 'session.idle', at: 2 } });
    expect(last[0]!.userInput).toBeUndefined();
  });

  it('shows a session idle again after a remote turn failed on its host (no idle may come after a dead CLI)', () => {
    const records = new Subject<{ host: string; sessionId: string; record: LifecycleRecord }>();
    let last: readonly SessionStatus[] = [];
    const hosts = new Subject<readonly HostStatus[]>();
    sessionsView(records, hosts).subscribe((s) => (last = s));
    hosts.next([host('a', true)]);
    records.next({ host: 'a', sessionId: 's', record: { type: 'session.busy', at: 1 } });
    expect(last[0]!.state).toBe('busy');
    records.next({ host: 'a', sessionId: 's', record: { type: 'turn.failed', turnId: 't1', code: 'CONNECTION_CLOSED', message: 'the CLI exited', at: 2 } });
    expect(last[0]!.state).toBe('idle');
  });

  it('keeps a destroyed session destroyed whatever record follows (the host publishes turn.failed after the end)', () => {
    const records = new Subject<{ host: string; sessionId: string; record: LifecycleRecord }>();
    let last: readonly SessionStatus[] = [];
    const hosts = new Subject<readonly HostStatus[]>();
    sessionsView(records, hosts).subscribe((s) => (last = s));
    hosts.next([host('a', true)]);
    records.next({ host: 'a', sessionId: 's', record: { type: 'session.created', at: 1 } });
    records.next({ host: 'a', sessionId: 's', record: { type: 'session.busy', at: 2 } });
    records.next({ host: 'a', sessionId: 's', record: { type: 'session.destroyed', at: 3 } });
    records.next({ host: 'a', sessionId: 's', record: { type: 'turn.failed', turnId: 't1', code: 'ABORTED', message: 'destroyed', at: 4 } });
    expect(last[0]!.state).toBe('destroyed');
    records.next({ host: 'a', sessionId: 's', record: { type: 'session.idle', at: 5 } });
    records.next({ host: 'a', sessionId: 's', record: { type: 'session.busy', at: 6 } });
    records.next({ host: 'a', sessionId: 's', record: { type: 'user_input.requested', requestId: 'r', question: '?', choices: [], at: 7 } });
    expect(last).toEqual([{ host: 'a', sessionId: 's', state: 'destroyed', createdAt: 1, droppedEvents: 0 }]);
    // Resumed under the same id: the host announces it again, a session anew.
    records.next({ host: 'a', sessionId: 's', record: { type: 'session.created', at: 8 } });
    expect(last).toEqual([{ host: 'a', sessionId: 's', state: 'idle', createdAt: 8, droppedEvents: 0 }]);
  });

  it('shows a session its host announced before its current process started as lost (a host restarted under its name)', () => {
    const records = new Subject<{ host: string; sessionId: string; record: LifecycleRecord }>();
    let last: readonly SessionStatus[] = [];
    const hosts = new Subject<readonly HostStatus[]>();
    sessionsView(records, hosts).subscribe((s) => (last = s));
    hosts.next([{ ...host('a', true), startedAt: 100 }]);
    records.next({ host: 'a', sessionId: 'old', record: { type: 'session.created', at: 150 } });
    records.next({ host: 'a', sessionId: 'resumed', record: { type: 'session.created', at: 160 } });
    records.next({ host: 'a', sessionId: 'gone', record: { type: 'session.created', at: 170 } });
    records.next({ host: 'a', sessionId: 'gone', record: { type: 'session.destroyed', at: 180 } });
    hosts.next([{ ...host('a', false), startedAt: 100 }]);
    expect(last.map((s) => [s.sessionId, s.state])).toEqual([['old', 'lost'], ['resumed', 'lost'], ['gone', 'destroyed']]);
    // Killed and started again: up under the same name, a new process that knows none of them...
    hosts.next([{ ...host('a', true), startedAt: 500 }]);
    records.next({ host: 'a', sessionId: 'new', record: { type: 'session.created', at: 510 } });
    expect(last.map((s) => [s.sessionId, s.state])).toEqual([['old', 'lost'], ['resumed', 'lost'], ['gone', 'destroyed'], ['new', 'idle']]);
    // ...unless it announces one again (it resumed it).
    records.next({ host: 'a', sessionId: 'resumed', record: { type: 'session.created', at: 520 } });
    expect(last.map((s) => [s.sessionId, s.state])).toEqual([['old', 'lost'], ['resumed', 'idle'], ['gone', 'destroyed'], ['new', 'idle']]);
  });

  it("tells an earlier process's sessions by its instance id, not by clocks (a host name moved to a machine whose clock is behind)", () => {
    const records = new Subject<{ host: string; sessionId: string; record: LifecycleRecord }>();
    let last: readonly SessionStatus[] = [];
    const hosts = new Subject<readonly HostStatus[]>();
    sessionsView(records, hosts).subscribe((s) => (last = s));
    hosts.next([{ ...host('a', true), startedAt: 1_000, instance: 'p1' }]);
    records.next({ host: 'a', sessionId: 'old', record: { type: 'session.created', at: 1_050, instance: 'p1' } });
    expect(last.map((s) => [s.sessionId, s.state, s.instance])).toEqual([['old', 'idle', 'p1']]);
    // The name comes up on another machine whose clock is behind: 'old' was announced "after" it
    // started by the clocks, but by another process.
    hosts.next([{ ...host('a', true), startedAt: 500, instance: 'p2' }]);
    records.next({ host: 'a', sessionId: 'new', record: { type: 'session.created', at: 510, instance: 'p2' } });
    expect(last.map((s) => [s.sessionId, s.state])).toEqual([['old', 'lost'], ['new', 'idle']]);
    // The new process resumes 'old': announced again with its own id, it lives there now.
    records.next({ host: 'a', sessionId: 'old', record: { type: 'session.created', at: 520, instance: 'p2' } });
    expect(last.map((s) => [s.sessionId, s.state, s.instance])).toEqual([['old', 'idle', 'p2'], ['new', 'idle', 'p2']]);
  });

  it('falls back to the clocks when either side carries no instance id (records of older hosts)', () => {
    const records = new Subject<{ host: string; sessionId: string; record: LifecycleRecord }>();
    let last: readonly SessionStatus[] = [];
    const hosts = new Subject<readonly HostStatus[]>();
    sessionsView(records, hosts).subscribe((s) => (last = s));
    hosts.next([{ ...host('a', true), startedAt: 500, instance: 'p2' }]);
    records.next({ host: 'a', sessionId: 'before', record: { type: 'session.created', at: 400 } });
    records.next({ host: 'a', sessionId: 'after', record: { type: 'session.created', at: 600 } });
    expect(last.map((s) => [s.sessionId, s.state])).toEqual([['before', 'lost'], ['after', 'idle']]);
    // A host that sends no instance: a session stamped with one is still judged by the clocks.
    hosts.next([{ ...host('a', true), startedAt: 500 }]);
    records.next({ host: 'a', sessionId: 'stamped', record: { type: 'session.created', at: 700, instance: 'p1' } });
    expect(last.map((s) => [s.sessionId, s.state])).toEqual([['before', 'lost'], ['after', 'idle'], ['stamped', 'idle']]);
  });
});
