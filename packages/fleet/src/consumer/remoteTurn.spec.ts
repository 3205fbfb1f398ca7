import { BehaviorSubject, NEVER, Subject, throwError, VirtualTimeScheduler, type Observable } from 'rxjs';
import { SessionError, TurnSilenceError, type SessionEvent } from '@copilot-rx/core';
import { FleetControlError, FleetHostDownError, FleetTimeoutError, FleetTurnFailedError } from '../errors';
import type { LifecycleRecord } from '../wire/records';
import type { HostStatus } from './hostsView';
// From the package's entry point: the docs name MAX_PROMPT_PAUSE_MS, so users must be able to import it.
import { MAX_PROMPT_PAUSE_MS } from '../index';
import { MAX_OPEN_PROMPTS, remoteTurn, type RemoteTurnContext } from './remoteTurn';
import type { SessionFeedItem } from './sessionFeed';

const ev = (type: string, data: object = {}, agentId?: string) =>
  ({ id: `${type}-${Math.random()}`, timestamp: '2026-01-01T00:00:00Z', parentId: null, type, data, ...(agentId ? { agentId } : {}) }) as unknown as SessionEvent;

const hostStatus = (host: string, up: boolean, downReason?: 'stopped' | 'expired'): HostStatus => ({
  host,
  up,
  lastSeen: 1_767_225_600_000,
  startedAt: 1_767_225_000_000,
  ...(downReason ? { downReason } : {}),
  cliVersions: [],
  sessions: 1,
  outbox: { pending: 0, dropped: 0 },
  ttlMs: 1_500,
});

/** A turn of session s on host h; what a test does not set never happens (no host list, no events). */
const context = (overrides: Partial<RemoteTurnContext>): RemoteTurnContext => ({
  host: 'h',
  sessionId: 's',
  hosts$: NEVER,
  readyTimeoutMs: 60_000,
  feed: () => NEVER,
  send: async () => undefined,
  abort: async () => undefined,
  reportAbortFailure: () => undefined,
  ...overrides,
});

function harness(hosts$: Observable<readonly HostStatus[]> = NEVER) {
  const live = new Subject<SessionFeedItem>();
  let ready: (() => void) | undefined;
  const calls: string[] = [];
  const turnIds: string[] = [];
  const turn$ = remoteTurn({
    host: 'h',
    sessionId: 's',
    hosts$,
    readyTimeoutMs: 60_000,
    feed: (onReady): Observable<SessionFeedItem> => {
      ready = onReady;
      return live;
    },
    send: async (turnId) => void (calls.push('send'), turnIds.push(turnId)),
    abort: async () => void calls.push('abort'),
    reportAbortFailure: () => calls.push('abort-failed'),
  });
  const push = (event: SessionEvent) => live.next({ kind: 'event', event });
  const record = (body: LifecycleRecord) => live.next({ kind: 'lifecycle', record: body });
  return { turn$, push, record, calls, turnIds, ready: () => ready?.(), live };
}

describe('remoteTurn', () => {
  it('sends only once the live read is ready, emits the turn up to its idle, then completes', async () => {
    const h = harness();
    const seen: string[] = [];
    let done = false;
    h.turn$.subscribe({ next: (e) => seen.push(e.type), complete: () => (done = true) });
    expect(h.calls).toEqual([]);
    h.ready();
    await Promise.resolve();
    expect(h.calls).toEqual(['send']);
    h.push(ev('session.idle')); // a stale idle of earlier work: ignored
    h.push(ev('user.message'));
    h.push(ev('assistant.message_delta'));
    h.push(ev('session.idle', {}, 'sub-agent')); // a sub-agent's idle does not end the turn
    h.push(ev('session.idle'));
    expect(seen).toEqual(['user.message', 'assistant.message_delta', 'session.idle', 'session.idle']);
    expect(done).toBe(true);
    expect(h.live.observed).toBe(false);
  });

  it('errors with SessionError on a main-agent session.error, not on a notification-level one', () => {
    const h = harness();
    let error: unknown;
    h.turn$.subscribe({ error: (e: unknown) => (error = e) });
    h.push(ev('user.message'));
    h.push(ev('session.error', { errorType: 'notification', message: 'fyi' }));
    expect(error).toBeUndefined();
    h.push(ev('session.error', { errorType: 'query', message: 'boom', statusCode: 500 }));
    expect(error).toBeInstanceOf(SessionError);
  });

  it('aborts on the host when unsubscribed before the end, and not after it', async () => {
    const h = harness();
    h.turn$.subscribe().unsubscribe();
    const finished = harness();
    finished.turn$.subscribe();
    finished.push(ev('user.message'));
    finished.push(ev('session.idle'));
    await Promise.resolve();
    expect(h.calls).toEqual(['abort']);
    expect(finished.calls).toEqual([]);
  });

  it('errors with the refusal when the send is refused', async () => {
    const live = new Subject<SessionFeedItem>();
    const refusal = new Error('refused');
    const turn$ = remoteTurn(context({ feed: (onReady) => (setImmediate(onReady), live), send: () => Promise.reject(refusal) }));
    await expect(new Promise((resolve, reject) => turn$.subscribe({ complete: () => resolve('completed'), error: reject }))).rejects.toBe(refusal);
    expect(live.observed).toBe(false);
  });

  it('aborts on the host a send it did not answer in time (its turn queue may still hold the turn), and a refused one not', async () => {
    const outcome = async (failure: Error) => {
      const calls: string[] = [];
      const turn$ = remoteTurn(
        context({
          feed: (onReady) => (setImmediate(onReady), new Subject<SessionFeedItem>()),
          send: () => Promise.reject(failure),
          abort: async () => void calls.push('abort'),
        }),
      );
      const error = await new Promise((resolve) => turn$.subscribe({ error: resolve }));
      return { error, calls };
    };
    const timedOut = new FleetTimeoutError('host h to start the turn', 1_000);
    expect(await outcome(timedOut)).toEqual({ error: timedOut, calls: ['abort'] });
    const refused = new FleetControlError('h', 'send', 'UNKNOWN_SESSION', 'no session s');
    expect(await outcome(refused)).toEqual({ error: refused, calls: [] });
  });

  it('is cold: each subscription sends once', () => {
    const h = harness();
    h.turn$.subscribe();
    h.ready();
    h.turn$.subscribe();
    h.ready();
    return Promise.resolve().then(() => expect(h.calls).toEqual(['send', 'send']));
  });

  it('fails with FleetHostDownError once its host is seen down mid-turn, aborts there, and stops watching', async () => {
    const hosts$ = new BehaviorSubject<readonly HostStatus[]>([hostStatus('h', true), hostStatus('other', true)]);
    const h = harness(hosts$);
    let error: unknown;
    h.turn$.subscribe({ error: (e: unknown) => (error = e) });
    h.ready();
    h.push(ev('user.message'));
    hosts$.next([hostStatus('h', true), hostStatus('other', false, 'expired')]); // another host: not this turn's
    hosts$.next([hostStatus('other', false, 'expired')]); // not listed: not taken as down
    expect(error).toBeUndefined();
    hosts$.next([hostStatus('h', false, 'expired'), hostStatus('other', false, 'expired')]);
    await Promise.resolve();
    expect(error).toBeInstanceOf(FleetHostDownError);
    expect(error).toMatchObject({ code: 'FLEET_HOST_DOWN', host: 'h', sessionId: 's', downReason: 'expired' });
    expect(h.calls).toEqual(['send', 'abort']);
    expect(hosts$.observed).toBe(false);
    expect(h.live.observed).toBe(false);
  });

  it('fails at once, sending nothing and aborting nothing, when its host is already down (a stopped host)', async () => {
    const h = harness(new BehaviorSubject<readonly HostStatus[]>([hostStatus('h', false, 'stopped')]));
    let error: unknown;
    h.turn$.subscribe({ error: (e: unknown) => (error = e) });
    h.ready();
    await Promise.resolve();
    expect(error).toMatchObject({ code: 'FLEET_HOST_DOWN', downReason: 'stopped' });
    expect(h.calls).toEqual([]);
    expect(h.live.observed).toBe(false);
  });

  it('completes as usual while its host stays up, and stops watching the hosts', () => {
    const hosts$ = new BehaviorSubject<readonly HostStatus[]>([hostStatus('h', true)]);
    const h = harness(hosts$);
    let done = false;
    h.turn$.subscribe({ complete: () => (done = true) });
    h.ready();
    h.push(ev('user.message'));
    h.push(ev('session.idle'));
    expect(done).toBe(true);
    expect(hosts$.observed).toBe(false);
  });

  it('goes on without host-down detection when the hosts watch fails (a user may control but not watch the bucket)', async () => {
    const h = harness(throwError(() => new Error('Permissions Violation for Publish to "$JS.API.STREAM.INFO.KV_copilot_hosts"')));
    const seen: string[] = [];
    let outcome = 'running';
    h.turn$.subscribe({ next: (e) => seen.push(e.type), error: () => (outcome = 'failed'), complete: () => (outcome = 'completed') });
    h.ready();
    await Promise.resolve();
    expect(outcome).toBe('running');
    h.push(ev('user.message'));
    h.push(ev('session.idle'));
    expect(outcome).toBe('completed');
    expect(seen).toEqual(['user.message', 'session.idle']);
    expect(h.calls).toEqual(['send']);
  });

  it("fails with FleetTurnFailedError on the host's turn.failed record naming this turn, and on no other turn's", async () => {
    const h = harness();
    let error: unknown;
    h.turn$.subscribe({ error: (e: unknown) => (error = e) });
    h.ready();
    await Promise.resolve();
    const [turnId] = h.turnIds;
    expect(turnId).toEqual(expect.any(String));
    h.push(ev('user.message'));
    h.record({ type: 'turn.failed', turnId: 'an-earlier-turn', code: 'TURN_INTERRUPTED', message: 'not this one', at: 1 });
    h.record({ type: 'turn.failed', code: 'TURN_INTERRUPTED', message: 'a consumer that named no turn', at: 2 });
    h.record({ type: 'session.idle', at: 3 }); // the host's busy/idle records do not end a turn: its events do
    expect(error).toBeUndefined();
    h.record({ type: 'turn.failed', turnId: turnId!, code: 'TURN_INTERRUPTED', message: 'the CLI process died', at: 4 });
    expect(error).toBeInstanceOf(FleetTurnFailedError);
    expect(error).toMatchObject({ code: 'FLEET_TURN_FAILED', host: 'h', sessionId: 's', reason: 'TURN_INTERRUPTED', detail: 'the CLI process died' });
    // The host's turn is over already: nothing to abort.
    await Promise.resolve();
    expect(h.calls).toEqual(['send']);
    expect(h.live.observed).toBe(false);
  });

  it("fails with EVENTS_DROPPED only for a gap that names this turn, not one of an earlier turn published after its send", async () => {
    const h = harness();
    let error: unknown;
    let done = false;
    h.turn$.subscribe({ error: (e: unknown) => (error = e), complete: () => (done = true) });
    h.ready();
    await Promise.resolve();
    const turnId = h.turnIds[0]!;
    h.record({ type: 'events.dropped', count: 3, firstId: 'e-1', lastId: 'e-3', turnIds: ['earlier'], at: 5 });
    h.record({ type: 'events.dropped', count: 1, firstId: 'e-4', lastId: 'e-4', turnIds: [], at: 6 });
    expect(error).toBeUndefined();
    h.push(ev('user.message'));
    h.record({ type: 'events.dropped', count: 2, firstId: 'e-9', lastId: 'e-10', turnIds: ['earlier', turnId], at: 7 });
    expect(error).toMatchObject({ reason: 'EVENTS_DROPPED' });
    expect(done).toBe(false);
    await Promise.resolve();
    expect(h.calls).toEqual(['send', 'abort']);
  });

  it('completes normally when the only gap published during it belongs to another turn', async () => {
    const h = harness();
    let done = false;
    h.turn$.subscribe({ complete: () => (done = true) });
    h.ready();
    await Promise.resolve();
    h.push(ev('user.message'));
    h.record({ type: 'events.dropped', count: 3, firstId: 'e-1', lastId: 'e-3', turnIds: ['earlier'], at: 5 });
    h.push(ev('session.idle'));
    expect(done).toBe(true);
    expect(h.calls).toEqual(['send']);
  });

  it("fails with FleetTurnFailedError (EVENTS_DROPPED), and aborts on the host, when the host's outbox drops events while it runs", async () => {
    const h = harness();
    let error: unknown;
    h.turn$.subscribe({ error: (e: unknown) => (error = e) });
    h.ready();
    await Promise.resolve();
    h.push(ev('user.message'));
    h.push(ev('assistant.message_delta'));
    h.record({ type: 'events.dropped', count: 120, firstId: 'e-10', lastId: 'e-129', at: 5 });
    expect(error).toBeInstanceOf(FleetTurnFailedError);
    expect(error).toMatchObject({ reason: 'EVENTS_DROPPED', detail: "the host's outbox dropped 120 events of the session (e-10 … e-129) while this turn ran" });
    await Promise.resolve();
    expect(h.calls).toEqual(['send', 'abort']);
    expect(h.live.observed).toBe(false);
  });

  it('fails with FleetTimeoutError, sending nothing, when its live read is not ready within readyTimeoutMs (no stream on the broker yet)', () => {
    const scheduler = new VirtualTimeScheduler();
    const calls: string[] = [];
    let ready: () => void = () => undefined;
    const live = new Subject<SessionFeedItem>();
    let failure: { error: unknown; at: number } | undefined;
    remoteTurn(
      context({
        feed: (onReady) => ((ready = onReady), live),
        send: async () => void calls.push('send'),
        abort: async () => void calls.push('abort'),
        readyTimeoutMs: 5_000,
        scheduler,
      }),
    ).subscribe({ error: (error: unknown) => (failure = { error, at: scheduler.now() }) });
    scheduler.flush();
    expect(failure?.at).toBe(5_000);
    expect(failure?.error).toBeInstanceOf(FleetTimeoutError);
    expect(failure?.error).toMatchObject({ timeoutMs: 5_000, waitedFor: expect.stringContaining('the live read of session s on host h to be ready') });
    expect(live.observed).toBe(false);
    ready(); // too late: nothing goes out
    expect(calls).toEqual([]);
  });

  it('clears the bound on the live read once it is ready, even at once', () => {
    const scheduler = new VirtualTimeScheduler();
    let failed = false;
    const turn = remoteTurn(context({ feed: (onReady) => (onReady(), NEVER), readyTimeoutMs: 5_000, scheduler })).subscribe({ error: () => (failed = true) });
    expect(scheduler.actions.filter((action) => !action.closed)).toHaveLength(0);
    scheduler.flush();
    expect(failed).toBe(false);
    turn.unsubscribe();
  });

  it('names each turn afresh: two subscriptions send two turn ids', async () => {
    const h = harness();
    h.turn$.subscribe();
    h.ready();
    h.turn$.subscribe();
    h.ready();
    await Promise.resolve();
    expect(new Set(h.turnIds).size).toBe(2);
  });

  describe('silenceTimeoutMs', () => {
    /** A turn with a 1 000 ms silence limit on virtual time; `at(ms, action)` runs something then. */
    function silentHarness(send: () => Promise<unknown> = async () => undefined) {
      const scheduler = new VirtualTimeScheduler();
      const live = new Subject<SessionFeedItem>();
      const calls: string[] = [];
      let failure: { error: unknown; at: number } | undefined;
      remoteTurn(
        context({
          feed: (onReady) => (setImmediate(onReady), live),
          send: () => (calls.push('send'), send()),
          abort: async () => void calls.push('abort'),
          silenceTimeoutMs: 1_000,
          scheduler,
        }),
      ).subscribe({ error: (error: unknown) => (failure = { error, at: scheduler.now() }) });
      const push = (event: SessionEvent) => live.next({ kind: 'event', event });
      const at = (ms: number, action: () => void) => scheduler.schedule(action, ms);
      /** Runs virtual time up to `ms`. */
      const runTo = (ms: number) => {
        scheduler.maxFrames = ms;
        scheduler.flush();
      };
      const accepted = () => new Promise((resolve) => setImmediate(resolve));
      return { push, at, runTo, accepted, calls, live, failure: () => failure };
    }

    it('fails with TurnSilenceError, and aborts on the host, when no event comes for that long after each event', async () => {
      const h = silentHarness();
      await h.accepted();
      h.at(300, () => h.push(ev('user.message')));
      h.at(600, () => h.push(ev('assistant.message_delta')));
      h.runTo(1_599);
      expect(h.failure()).toBeUndefined();
      h.runTo(1_600);
      expect(h.failure()?.at).toBe(1_600);
      expect(h.failure()?.error).toBeInstanceOf(TurnSilenceError);
      expect(h.failure()?.error).toMatchObject({ code: 'TURN_SILENCE', sessionId: 's', silenceMs: 1_000, eventsSeen: 2 });
      await Promise.resolve();
      expect(h.calls).toEqual(['send', 'abort']);
      expect(h.live.observed).toBe(false);
    });

    it('does not run out while a prompt waits for its answer (the CLI waits on whoever answers it)', async () => {
      const h = silentHarness();
      await h.accepted();
      h.at(100, () => h.push(ev('user.message')));
      h.at(200, () => h.push(ev('permission.requested', { requestId: 'p1' })));
      h.at(9_000, () => h.push(ev('permission.completed', { requestId: 'p1' })));
      h.runTo(9_999);
      expect(h.failure()).toBeUndefined();
      h.runTo(10_000);
      expect(h.failure()?.error).toBeInstanceOf(TurnSilenceError);
    });

    it('pauses for the MCP sign-in and an elicitation too, each until the event of its request id that settles it', async () => {
      const h = silentHarness();
      await h.accepted();
      h.at(100, () => h.push(ev('mcp.oauth_required', { requestId: 'o1' })));
      h.at(5_000, () => h.push(ev('elicitation.requested', { requestId: 'e1' })));
      h.at(6_000, () => h.push(ev('mcp.oauth_completed', { requestId: 'o1' })));
      h.at(9_000, () => h.push(ev('elicitation.completed', { requestId: 'e1' })));
      h.runTo(9_999);
      expect(h.failure()).toBeUndefined();
      h.runTo(10_000);
      expect(h.failure()?.error).toBeInstanceOf(TurnSilenceError);
    });

    it.each([
      ['exit_plan_mode.requested', 'exit_plan_mode.completed'],
      ['auto_mode_switch.requested', 'auto_mode_switch.completed'],
      ['session_limits_exhausted.requested', 'session_limits_exhausted.completed'],
      ['sampling.requested', 'sampling.completed'],
    ])('pauses for %s until the %s of its request id', async (asks, settles) => {
      const h = silentHarness();
      await h.accepted();
      h.at(100, () => h.push(ev('user.message')));
      h.at(200, () => h.push(ev(asks, { requestId: 'r1' })));
      h.at(9_000, () => h.push(ev(settles, { requestId: 'r1' })));
      h.runTo(9_999);
      expect(h.failure()).toBeUndefined();
      h.runTo(10_000);
      expect(h.failure()?.error).toBeInstanceOf(TurnSilenceError);
    });

    it('does not pause for a request no person answers (an external tool no client owns never completes)', async () => {
      const h = silentHarness();
      await h.accepted();
      h.at(100, () => h.push(ev('user.message')));
      h.at(200, () => h.push(ev('external_tool.requested', { requestId: 't1', toolName: 'nobody_owns_it' })));
      h.runTo(1_199);
      expect(h.failure()).toBeUndefined();
      h.runTo(1_200);
      expect(h.failure()?.error).toBeInstanceOf(TurnSilenceError);
    });

    it('pauses at most MAX_PROMPT_PAUSE_MS for one prompt nobody settles', async () => {
      const h = silentHarness();
      await h.accepted();
      h.at(200, () => h.push(ev('permission.requested', { requestId: 'p1' })));
      h.runTo(200 + MAX_PROMPT_PAUSE_MS + 999);
      expect(h.failure()).toBeUndefined();
      h.runTo(200 + MAX_PROMPT_PAUSE_MS + 1_000);
      expect(h.failure()?.at).toBe(200 + MAX_PROMPT_PAUSE_MS + 1_000);
      expect(h.failure()?.error).toBeInstanceOf(TurnSilenceError);
    });

    it('keeps at most MAX_OPEN_PROMPTS open prompts: beyond it the oldest is forgotten and its pause ends', async () => {
      const h = silentHarness();
      await h.accepted();
      h.at(100, () => h.push(ev('permission.requested', { requestId: 'oldest' })));
      h.at(200, () => {
        for (let n = 1; n <= MAX_OPEN_PROMPTS; n++) h.push(ev('permission.requested', { requestId: `p${n}` }));
      });
      h.at(300, () => {
        for (let n = 1; n <= MAX_OPEN_PROMPTS; n++) h.push(ev('permission.completed', { requestId: `p${n}` }));
      });
      h.runTo(1_299);
      expect(h.failure()).toBeUndefined();
      h.runTo(1_300);
      expect(h.failure()?.at).toBe(1_300);
      expect(h.failure()?.error).toBeInstanceOf(TurnSilenceError);
    });

    it('stays paused, without a RangeError in its timer, with far more prompts open than a spread takes', async () => {
      const h = silentHarness();
      await h.accepted();
      h.at(100, () => {
        for (let n = 0; n < 200_000; n++) h.push(ev('user_input.requested', { requestId: `u${n}` }));
      });
      expect(() => h.runTo(100 + MAX_PROMPT_PAUSE_MS - 1)).not.toThrow();
      expect(h.failure()).toBeUndefined();
      h.runTo(100 + MAX_PROMPT_PAUSE_MS + 1_000);
      expect(h.failure()?.error).toBeInstanceOf(TurnSilenceError);
    });

    it('starts only once the host accepted the send (its turn queue may hold it; sendTimeoutMs bounds that)', async () => {
      let accept: () => void = () => undefined;
      const h = silentHarness(() => new Promise<void>((resolve) => (accept = resolve)));
      await h.accepted();
      h.at(50_000, () => undefined); // virtual time moves only as actions run
      h.runTo(50_000);
      expect(h.failure()).toBeUndefined();
      accept();
      await Promise.resolve();
      h.runTo(50_999);
      expect(h.failure()).toBeUndefined();
      h.runTo(51_000);
      expect(h.failure()?.error).toMatchObject({ eventsSeen: 0 });
    });

    it('completes as usual when the turn ends in time, leaving no timer behind', async () => {
      const scheduler = new VirtualTimeScheduler();
      const live = new Subject<SessionFeedItem>();
      let done = false;
      remoteTurn(context({ feed: (onReady) => (setImmediate(onReady), live), silenceTimeoutMs: 1_000, scheduler })).subscribe({ complete: () => (done = true) });
      await new Promise((resolve) => setImmediate(resolve));
      live.next({ kind: 'event', event: ev('user.message') });
      live.next({ kind: 'event', event: ev('session.idle') });
      expect(done).toBe(true);
      expect(scheduler.actions).toHaveLength(0);
    });

    it('is refused at send() when not a positive number', () => {
      for (const silenceTimeoutMs of [0, -1, Number.NaN]) {
        expect(() => remoteTurn(context({ silenceTimeoutMs }))).toThrow(new RangeError(`silenceTimeoutMs must be a positive number of milliseconds. Got ${String(silenceTimeoutMs)}`));
      }
    });
  });
});
