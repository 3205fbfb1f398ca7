import { NEVER, Observable, Subject, defer, of, throwError } from 'rxjs';
import { TurnLimiter, type TurnQueueState } from './turnLimiter';

/** A cold stand-in for a turn: counts subscriptions (a subscription is what sends the prompt). */
function fakeTurn() {
  const ends = new Subject<void>();
  const turn = {
    sent: 0,
    unsubscribed: 0,
    end: () => ends.complete(),
    fail: (error: Error) => ends.error(error),
    turn$: new Observable<string>((subscriber) => {
      turn.sent++;
      subscriber.next('started');
      const inner = ends.subscribe({ error: (e: unknown) => subscriber.error(e), complete: () => subscriber.complete() });
      return () => {
        turn.unsubscribed++;
        inner.unsubscribe();
      };
    }),
  };
  return turn;
}

function states(limiter: TurnLimiter): TurnQueueState[] {
  const seen: TurnQueueState[] = [];
  limiter.state$.subscribe((state) => seen.push(state));
  return seen;
}

describe('TurnLimiter', () => {
  it('runs up to the limit at once and starts queued turns first-come as slots free', () => {
    const limiter = new TurnLimiter(2);
    const turns = [fakeTurn(), fakeTurn(), fakeTurn(), fakeTurn()];
    const order: number[] = [];
    turns.forEach((t, i) => limiter.schedule(t.turn$).subscribe({ next: () => order.push(i), error: () => undefined }));
    expect(turns.map((t) => t.sent)).toEqual([1, 1, 0, 0]);
    expect(limiter.state).toEqual({ running: 2, queued: 2, limit: 2 });

    turns[1]!.end();
    expect(turns.map((t) => t.sent)).toEqual([1, 1, 1, 0]);
    turns[0]!.fail(new Error('boom')); // an error frees its slot too
    expect(turns.map((t) => t.sent)).toEqual([1, 1, 1, 1]);
    expect(order).toEqual([0, 1, 2, 3]);
    turns[2]!.end();
    turns[3]!.end();
    expect(limiter.state).toEqual({ running: 0, queued: 0, limit: 2 });
  });

  it('reports every change on state$, replaying the current state first', () => {
    const limiter = new TurnLimiter(1);
    const seen = states(limiter);
    const [a, b] = [fakeTurn(), fakeTurn()];
    limiter.schedule(a.turn$).subscribe();
    limiter.schedule(b.turn$).subscribe();
    a.end();
    b.end();
    expect(seen.map(({ running, queued }) => [running, queued])).toEqual([
      [0, 0],
      [0, 1], // a queued...
      [1, 0], // ...and started at once
      [1, 1], // b waits
      [0, 1], // a ended
      [1, 0], // b started
      [0, 0],
    ]);
  });

  it('sends nothing for a queued turn unsubscribed before it starts: it just leaves the queue', () => {
    const limiter = new TurnLimiter(1);
    const [running, leaving, next] = [fakeTurn(), fakeTurn(), fakeTurn()];
    limiter.schedule(running.turn$).subscribe();
    const subscription = limiter.schedule(leaving.turn$).subscribe();
    limiter.schedule(next.turn$).subscribe();
    expect(limiter.state.queued).toBe(2);

    subscription.unsubscribe();
    expect(limiter.state).toEqual({ running: 1, queued: 1, limit: 1 });
    running.end();
    expect(leaving.sent).toBe(0);
    expect(leaving.unsubscribed).toBe(0);
    expect(next.sent).toBe(1);
  });

  it('unsubscribing a running turn tears it down (the turn aborts) and frees its slot', () => {
    const limiter = new TurnLimiter(1);
    const [running, waiting] = [fakeTurn(), fakeTurn()];
    const subscription = limiter.schedule(running.turn$).subscribe();
    limiter.schedule(waiting.turn$).subscribe();
    subscription.unsubscribe();
    expect(running.unsubscribed).toBe(1);
    expect(waiting.sent).toBe(1);
    expect(limiter.state).toEqual({ running: 1, queued: 0, limit: 1 });
  });

  it('frees the slot exactly once however the turn ends', () => {
    const limiter = new TurnLimiter(1);
    const turn = fakeTurn();
    const subscription = limiter.schedule(turn.turn$).subscribe();
    turn.end();
    subscription.unsubscribe(); // after the end: no second release
    expect(limiter.state).toEqual({ running: 0, queued: 0, limit: 1 });
    const [a, b] = [fakeTurn(), fakeTurn()];
    limiter.schedule(a.turn$).subscribe();
    limiter.schedule(b.turn$).subscribe();
    expect([a.sent, b.sent]).toEqual([1, 0]);
  });

  it('drains a long queue of turns that end synchronously without growing the stack', () => {
    const limiter = new TurnLimiter(1);
    const blocker = fakeTurn();
    limiter.schedule(blocker.turn$).subscribe();
    let completed = 0;
    for (let i = 0; i < 10_000; i++) limiter.schedule(of(i)).subscribe({ complete: () => completed++ });
    expect(limiter.state.queued).toBe(10_000);
    blocker.end();
    expect(completed).toBe(10_000);
    expect(limiter.state).toEqual({ running: 0, queued: 0, limit: 1 });
  });

  it('each subscription to a scheduled turn is its own turn (cold), queued on its own', () => {
    const limiter = new TurnLimiter(1);
    let sends = 0;
    const turn$ = limiter.schedule(defer(() => (sends++, NEVER)));
    turn$.subscribe();
    turn$.subscribe();
    expect(sends).toBe(1);
    expect(limiter.state.queued).toBe(1);
  });

  it('close() fails the queued turns with its error, and every later one at once; running turns go on', () => {
    const limiter = new TurnLimiter(1);
    const [running, queued] = [fakeTurn(), fakeTurn()];
    const errors: unknown[] = [];
    let runningEnded = false;
    limiter.schedule(running.turn$).subscribe({ complete: () => (runningEnded = true) });
    limiter.schedule(queued.turn$).subscribe({ error: (e: unknown) => errors.push(e) });
    let completed = false;
    limiter.state$.subscribe({ complete: () => (completed = true) });

    const closed = new Error('connection closed');
    limiter.close(closed);
    limiter.schedule(throwError(() => new Error('never subscribed'))).subscribe({ error: (e: unknown) => errors.push(e) });
    expect(errors).toEqual([closed, closed]);
    expect(queued.sent).toBe(0);
    expect(completed).toBe(true);
    running.end();
    expect(runningEnded).toBe(true);
  });

  it('never queues when unbounded', () => {
    const limiter = new TurnLimiter(Infinity);
    const turns = Array.from({ length: 100 }, fakeTurn);
    for (const t of turns) limiter.schedule(t.turn$).subscribe();
    expect(turns.every((t) => t.sent === 1)).toBe(true);
    expect(limiter.state).toEqual({ running: 100, queued: 0, limit: Infinity });
  });

  it.each([0, -1, 1.5, NaN, '4' as unknown as number])('rejects a limit of %p with a RangeError naming the option', (limit) => {
    expect(() => new TurnLimiter(limit)).toThrow(new RangeError(`maxConcurrentTurns must be a positive integer or Infinity. Got ${String(limit)}`));
  });
});
