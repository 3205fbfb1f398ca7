/**
 * One turn over a session's events$ that delivers synchronously, as it does when it replays a
 * history or releases the live events that waited during it (RxJS's "stops listening to a
 * synchronous observable when unsubscribed"): a consumer that leaves on one of those events stops the
 * delivery at once, and nothing is sent (or aborted) for it.
 */
import { NEVER, Observable, take } from 'rxjs';
import type { SessionEvent } from '../codecs/sessionEvent';
import { turn, type TurnContext } from './turn';

/** Far above any `take(n)` here: a turn that keeps pulling after its consumer left stops only here. */
const ENDLESS_GUARD = 10_000;

const delta = (n: number): SessionEvent =>
  ({
    id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    timestamp: '2026-12-01T00:00:00.000Z',
    parentId: null,
    ephemeral: true,
    type: 'assistant.message_delta',
    data: { messageId: 'm', deltaContent: `<${n}>` },
  }) as SessionEvent;

function turnOver(events$: Observable<SessionEvent>) {
  const calls = { sent: 0, aborted: 0, busy: 0 };
  const context: TurnContext = {
    sessionId: 's1',
    events$,
    isBusy: () => false,
    markBusy: () => void calls.busy++,
    markIdle: () => undefined,
    handlerActivity: () => -Infinity,
    sendRequest: () => {
      calls.sent++;
      return NEVER;
    },
    abort: async () => void calls.aborted++,
    reportAbortFailure: () => undefined,
  };
  return { turn$: turn(context, { prompt: 'hi' }), calls };
}

describe('turn over a synchronous events$', () => {
  it('stops an endless synchronous delivery when its consumer leaves, and sends nothing for it', () => {
    let pulled = 0;
    const endless = new Observable<SessionEvent>((subscriber) => {
      while (!subscriber.closed && pulled < ENDLESS_GUARD) subscriber.next(delta(++pulled));
    });
    const { turn$, calls } = turnOver(endless);
    const received: SessionEvent[] = [];
    let completed = false;
    turn$.pipe(take(3)).subscribe({ next: (event) => received.push(event), complete: () => (completed = true) });
    expect(pulled).toBe(3);
    expect(received.map((event) => event.id)).toEqual([delta(1).id, delta(2).id, delta(3).id]);
    expect(completed).toBe(true);
    expect(calls).toEqual({ sent: 0, aborted: 0, busy: 0 });
  });

  it('sends once the synchronous delivery is over when the consumer stays, and aborts when it leaves then', async () => {
    const { turn$, calls } = turnOver(new Observable<SessionEvent>((subscriber) => subscriber.next(delta(1))));
    const received: SessionEvent[] = [];
    const subscription = turn$.subscribe((event) => received.push(event));
    expect(received).toHaveLength(1);
    expect(calls).toEqual({ sent: 1, aborted: 0, busy: 1 });
    subscription.unsubscribe();
    expect(calls.aborted).toBe(1);
  });
});
