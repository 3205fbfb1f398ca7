import { Subject, type Observable } from 'rxjs';
import { SessionError, type SessionEvent } from '@copilot-rx/core';
import { FleetControlError, FleetTimeoutError } from '../errors';
import type { FleetEvent } from './fleetEvents';
import { remoteTurn } from './remoteTurn';

const ev = (type: string, data: object = {}, agentId?: string) =>
  ({ id: `${type}-${Math.random()}`, timestamp: '2026-01-01T00:00:00Z', parentId: null, type, data, ...(agentId ? { agentId } : {}) }) as unknown as SessionEvent;

function harness() {
  const live = new Subject<FleetEvent>();
  let ready: (() => void) | undefined;
  const calls: string[] = [];
  const turn$ = remoteTurn({
    sessionId: 's',
    liveEvents: (onReady): Observable<FleetEvent> => {
      ready = onReady;
      return live;
    },
    send: async () => void calls.push('send'),
    abort: async () => void calls.push('abort'),
    reportAbortFailure: () => calls.push('abort-failed'),
  });
  const push = (event: SessionEvent) => live.next({ host: 'h', sessionId: 's', event });
  return { turn$, push, calls, ready: () => ready?.(), live };
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
    const live = new Subject<FleetEvent>();
    const refusal = new Error('refused');
    const turn$ = remoteTurn({ sessionId: 's', liveEvents: (onReady) => (setImmediate(onReady), live), send: () => Promise.reject(refusal), abort: async () => undefined, reportAbortFailure: () => undefined });
    await expect(new Promise((resolve, reject) => turn$.subscribe({ complete: () => resolve('completed'), error: reject }))).rejects.toBe(refusal);
    expect(live.observed).toBe(false);
  });

  it('aborts on the host a send it did not answer in time (its turn queue may still hold the turn), and a refused one not', async () => {
    const outcome = async (failure: Error) => {
      const calls: string[] = [];
      const turn$ = remoteTurn({
        sessionId: 's',
        liveEvents: (onReady) => (setImmediate(onReady), new Subject<FleetEvent>()),
        send: () => Promise.reject(failure),
        abort: async () => void calls.push('abort'),
        reportAbortFailure: () => undefined,
      });
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
});
