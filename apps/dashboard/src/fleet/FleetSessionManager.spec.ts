/**
 * The dashboard's fleet mode on a stand-in fleet (Subjects for hosts$, sessions$ and the event read,
 * a recording control function): what the store shows, and what each page action asks of which host.
 */
import { BehaviorSubject, NEVER, Observable, Subject, VirtualTimeScheduler } from 'rxjs';
import type { SessionEvent } from '@copilot-rx/core';
import { FleetControlError, RemoteSession, type FleetEvent, type HostStatus, type SessionStatus } from '@copilot-rx/fleet';
import { DashboardStore } from '../model/DashboardStore';
import { HttpError } from '../server/HttpError';
import { UnknownSessionError } from '../sessions/DashboardSessions';
import { FleetSessionManager, LOST_GRACE_MS, MAX_ENDED_SESSIONS, TURN_SILENCE_MS, type FleetSource } from './FleetSessionManager';

const host = (name: string, up = true, extra: Partial<HostStatus> = {}): HostStatus => ({
  host: name,
  up,
  lastSeen: Date.UTC(2026, 11, 1, 12, 0, 0),
  startedAt: 0,
  cliVersions: ['1.0.102'],
  sessions: 1,
  outbox: { pending: 3, dropped: 0 },
  ttlMs: 15_000,
  ...(up ? {} : { downReason: 'expired' as const }),
  ...extra,
});
const status = (hostName: string, sessionId: string, state: SessionStatus['state'] = 'idle'): SessionStatus => ({ host: hostName, sessionId, state, createdAt: 0, droppedEvents: 0 });
let nextId = 0;
const event = (type: string, data: object = {}): SessionEvent => ({ id: `e${++nextId}`, timestamp: '2026-12-01T12:00:00.000Z', parentId: null, type, data }) as unknown as SessionEvent;

interface ControlCall {
  readonly host: string;
  readonly verb: string;
  readonly sessionId: string | undefined;
  readonly body: object;
}

function setUp() {
  const hosts$ = new BehaviorSubject<readonly HostStatus[]>([host('a'), host('b')]);
  const sessions$ = new Subject<readonly SessionStatus[]>();
  const events$ = new Subject<FleetEvent>();
  const calls: ControlCall[] = [];
  let answer: (call: ControlCall) => Promise<Record<string, unknown>> = async () => ({});
  const scheduler = new VirtualTimeScheduler();
  const logged: string[] = [];
  const remote = (hostName: string, id: string) =>
    new RemoteSession(hostName, id, {
      scheduler,
      events: () => NEVER,
      // A live read that is ready at once and stays quiet: the turn's send goes out, no event comes back.
      feed: (onReady) => new Observable<never>(() => onReady()),
      hosts$,
      control: (h, verb, sessionId, body) => {
        const call = { host: h, verb, sessionId, body };
        calls.push(call);
        return answer(call);
      },
      reportAbortFailure: () => undefined,
    });
  const reads: string[] = [];
  const fleet: FleetSource = {
    hosts$,
    sessions$,
    events: (from) => (reads.push(JSON.stringify(from)), events$),
    // Like CopilotFleet.session: a name that is not a subject token is refused.
    session: (hostName, id) => {
      if (!/^[\w-]+$/.test(id)) throw new TypeError(`sessionId must be a subject token. Got ${JSON.stringify(id)}`);
      return remote(hostName, id);
    },
    createSession: async (hostName) => (calls.push({ host: hostName, verb: 'create', sessionId: undefined, body: {} }), remote(hostName, 'new-1')),
  };
  const store = new DashboardStore('fleet');
  const manager = new FleetSessionManager(fleet, store, (line) => logged.push(line), scheduler);
  manager.start();
  return { hosts$, sessions$, events$, calls, store, scheduler, manager, reads, logged, answerWith: (f: typeof answer) => (answer = f) };
}

describe('FleetSessionManager', () => {
  it('shows the hosts table and every session of every host, with its host, from one read of the stream from its start', () => {
    const { store, sessions$, reads, hosts$ } = setUp();
    sessions$.next([status('a', 's1'), status('b', 's2', 'busy')]);
    expect(reads).toEqual(['"start"']);
    expect(store.state.hosts).toEqual([
      { host: 'a', up: true, downReason: null, lastSeen: '2026-12-01T12:00:00.000Z', cliVersions: ['1.0.102'], sessions: 1, outboxPending: 3, outboxDropped: 0 },
      expect.objectContaining({ host: 'b', up: true }),
    ]);
    expect(store.state.sessions.map(({ id, host: h, label, remoteState }) => ({ id, host: h, label, remoteState }))).toEqual([
      { id: 'a.s1', host: 'a', label: 's1', remoteState: 'idle' },
      { id: 'b.s2', host: 'b', label: 's2', remoteState: 'busy' },
    ]);
    hosts$.next([host('a'), host('b', false)]);
    expect(store.state.hosts[1]).toMatchObject({ up: false, downReason: 'expired' });
  });

  it("rebuilds a session's transcript from its events, and marks it lost when its host says so", () => {
    const { store, sessions$, events$, scheduler } = setUp();
    // The events may come before the session's lifecycle record: the session is shown once either way.
    events$.next({ host: 'a', sessionId: 's1', event: event('user.message', { content: 'Hello fleet' }) });
    events$.next({ host: 'a', sessionId: 's1', event: event('assistant.message', { messageId: 'm1', content: 'Hi from host a' }) });
    sessions$.next([status('a', 's1')]);
    scheduler.flush();
    expect(store.state.sessions).toHaveLength(1);
    expect(store.state.sessions[0]!.transcript).toEqual([
      { kind: 'prompt', text: 'Hello fleet' },
      { kind: 'answer', messageId: 'm1', text: 'Hi from host a' },
    ]);
    sessions$.next([status('a', 's1', 'lost')]);
    expect(store.state.sessions[0]!.remoteState).toBe('lost');
  });

  it('creates a session on the host named, or on the only host up, and refuses a choice it cannot make', async () => {
    const { manager, calls, hosts$, store } = setUp();
    await expect(manager.create({ host: 'b', label: 'mine' })).resolves.toBe('b.new-1');
    expect(calls.at(-1)).toMatchObject({ host: 'b', verb: 'create' });
    expect(store.state.sessions.find((s) => s.id === 'b.new-1')).toMatchObject({ label: 'mine', host: 'b' });
    await expect(manager.create({})).rejects.toMatchObject({ status: 400, message: 'Name a host with "host": 2 are up (a, b)' });
    await expect(manager.create({ host: 'zz' })).rejects.toMatchObject({ status: 404 });
    hosts$.next([host('a'), host('b', false)]);
    await expect(manager.create({ host: 'b' })).rejects.toMatchObject({ status: 409, message: 'Host "b" is down (expired)' });
    await expect(manager.create({})).resolves.toBe('a.new-1');
    hosts$.next([host('b', false)]);
    await expect(manager.create({})).rejects.toBeInstanceOf(HttpError);
  });

  it("answers a permission prompt through the session's host, and says false when it is no longer pending", async () => {
    const { manager, sessions$, calls, answerWith } = setUp();
    sessions$.next([status('a', 's1')]);
    await expect(manager.decide('a.s1', 'r1', 'approve')).resolves.toBe(true);
    expect(calls.at(-1)).toEqual({ host: 'a', verb: 'answerPermission', sessionId: 's1', body: { requestId: 'r1', decision: { kind: 'approve-once' } } });
    await manager.decide('a.s1', 'r2', 'deny');
    expect(calls.at(-1)!.body).toMatchObject({ requestId: 'r2', decision: { kind: 'reject' } });
    answerWith(async () => Promise.reject(new FleetControlError('a', 'answerPermission', 'NO_PENDING_PROMPT', 'no permission prompt r3')));
    await expect(manager.decide('a.s1', 'r3', 'approve')).resolves.toBe(false);
    answerWith(async () => Promise.reject(new FleetControlError('a', 'answerPermission', 'NO_RESPONDERS', 'no host a')));
    await expect(manager.decide('a.s1', 'r4', 'approve')).rejects.toMatchObject({ status: 503 });
    await expect(manager.decide('b.nope', 'r', 'approve')).rejects.toBeInstanceOf(UnknownSessionError);
  });

  it('aborts through the host, and turns a refusal into an HTTP status that says whose problem it is', async () => {
    const { manager, sessions$, calls, answerWith } = setUp();
    sessions$.next([status('a', 's1')]);
    await manager.abort('a.s1');
    expect(calls.at(-1)).toMatchObject({ host: 'a', verb: 'abort', sessionId: 's1' });
    answerWith(async () => Promise.reject(new FleetControlError('a', 'abort', 'PERMISSION_DENIED', 'not allowed')));
    await expect(manager.abort('a.s1')).rejects.toMatchObject({ status: 403, message: expect.stringContaining('may watch but not control') });
  });

  it('sends a prompt to the host, and shows a refused send as a notice in the transcript', async () => {
    const { manager, sessions$, calls, answerWith, store } = setUp();
    sessions$.next([status('a', 's1')]);
    answerWith(async () => Promise.reject(new FleetControlError('a', 'send', 'UNKNOWN_SESSION', 'host a has no session s1')));
    manager.send('a.s1', 'Hello');
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([{ host: 'a', verb: 'send', sessionId: 's1', body: { prompt: 'Hello', turnId: expect.any(String) } }]);
    expect(store.state.sessions[0]!.transcript).toEqual([
      { kind: 'notice', level: 'error', text: 'The turn failed: send on host a failed (UNKNOWN_SESSION): host a has no session s1 (destroyed, or its host restarted)' },
    ]);
  });

  it('keeps the newest sessions that ended (destroyed, or lost past the grace) only, and neither sessions$ nor a replay brings a removed one back', () => {
    const { store, sessions$, events$, scheduler } = setUp();
    const ids = Array.from({ length: MAX_ENDED_SESSIONS + 2 }, (_, i) => `s${i}`);
    // s0 has a transcript before it ends: its event group must end with it.
    sessions$.next([...ids.map((id) => status('a', id)), status('b', 'alive')]);
    events$.next({ host: 'a', sessionId: 's0', event: event('user.message', { content: 'first' }) });
    scheduler.flush();
    const patches: string[] = [];
    store.updates().subscribe((patch) => 'sessionId' in patch && patches.push(patch.sessionId));
    // Even ones are destroyed (ended at once), odd ones lost (ended once the grace is over).
    ids.forEach((_, ended) =>
      sessions$.next([...ids.map((id, i) => status('a', id, i > ended ? 'idle' : i % 2 === 0 ? 'destroyed' : 'lost')), status('b', 'alive')]),
    );
    expect(store.state.sessions).toHaveLength(ids.length + 1);
    scheduler.flush();
    const shown = store.state.sessions.map((s) => s.id);
    expect(shown).not.toContain('a.s0');
    expect(shown).not.toContain('a.s2');
    expect(shown).toHaveLength(MAX_ENDED_SESSIONS + 1);
    expect(shown).toContain('a.s1');
    expect(shown).toContain('b.alive');
    // The replay meets the removed sessions' events again: they stay removed, and s0's old group is gone.
    patches.length = 0;
    events$.next({ host: 'a', sessionId: 's0', event: event('user.message', { content: 'old' }) });
    events$.next({ host: 'a', sessionId: 's4', event: event('user.message', { content: 'kept' }) });
    scheduler.flush();
    expect(store.state.sessions.map((s) => s.id)).not.toContain('a.s0');
    expect(patches.filter((id) => id === 'a.s0')).toEqual([]);
    expect(store.state.sessions.find((s) => s.id === 'a.s4')!.transcript).toEqual([{ kind: 'prompt', text: 'kept' }]);
  });

  it('removes no lost session of an outage shorter than the grace, and shows a removed one again when its host comes back', () => {
    const { store, sessions$, scheduler } = setUp();
    const ids = Array.from({ length: MAX_ENDED_SESSIONS + 1 }, (_, i) => `s${i}`);
    sessions$.next(ids.map((id) => status('a', id)));
    sessions$.next(ids.map((id) => status('a', id, 'lost')));
    scheduler.maxFrames = LOST_GRACE_MS - 1;
    scheduler.flush();
    sessions$.next(ids.map((id) => status('a', id, 'idle')));
    scheduler.maxFrames = Infinity;
    scheduler.flush();
    expect(store.state.sessions).toHaveLength(ids.length);
    // Lost for good this time: the oldest goes, and comes back when its host does.
    sessions$.next(ids.map((id) => status('a', id, 'lost')));
    scheduler.flush();
    expect(store.state.sessions.map((s) => s.id)).not.toContain('a.s0');
    sessions$.next(ids.map((id) => status('a', id, id === 's0' ? 'idle' : 'lost')));
    expect(store.state.sessions.find((s) => s.id === 'a.s0')).toMatchObject({ remoteState: 'idle' });
  });

  it('ignores, and logs once, a session id the fleet cannot address, and carries on', () => {
    const { store, sessions$, events$, logged, scheduler } = setUp();
    sessions$.next([status('a', 'we!rd'), status('a', 'fine')]);
    sessions$.next([status('a', 'we!rd', 'busy'), status('a', 'fine', 'busy')]);
    events$.next({ host: 'a', sessionId: 'we!rd', event: event('user.message', { content: 'x' }) });
    events$.next({ host: 'a', sessionId: 'fine', event: event('user.message', { content: 'y' }) });
    scheduler.flush();
    expect(store.state.sessions.map((s) => s.id)).toEqual(['a.fine']);
    expect(store.state.sessions[0]!.transcript).toEqual([{ kind: 'prompt', text: 'y' }]);
    expect(logged).toEqual([expect.stringContaining('cannot address')]);
  });

  it('fails a turn that hears nothing for TURN_SILENCE_MS, so a quiet CLI holds no turn slot for ever', async () => {
    const { manager, sessions$, calls, store, scheduler } = setUp();
    sessions$.next([status('a', 's1')]);
    manager.send('a.s1', 'Hello');
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.map((c) => c.verb)).toEqual(['send']);
    scheduler.maxFrames = TURN_SILENCE_MS - 1;
    scheduler.flush();
    expect(store.state.sessions[0]!.transcript).toEqual([]);
    scheduler.maxFrames = TURN_SILENCE_MS + 1;
    scheduler.flush();
    expect(store.state.sessions[0]!.transcript).toEqual([{ kind: 'notice', level: 'error', text: expect.stringMatching(/^The turn failed: Session s1's turn heard nothing from the CLI for 600000 ms/) }]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.map((c) => c.verb)).toEqual(['send', 'abort']);
  });
});
