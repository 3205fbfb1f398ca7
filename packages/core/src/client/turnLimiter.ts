/**
 * A per-client bound on concurrent turns, with a first-come queue. Turns started together inside one
 * agent slow down together, and the Copilot CLI binary far more than linearly (bench/RESULTS.md,
 * "Concurrency": 10 at once took about 3 s on a quiet machine, 25 at once 20-35 s, 200 at once mostly
 * not within 3 minutes). Bounded, the agent works on a fixed number at a time and the rest start in the
 * order they were sent, instead of every turn of a burst stretching out at once.
 *
 * A queued turn has sent nothing: it is subscribed to (which sends the prompt) only when a slot frees.
 * Unsubscribing from it while queued just leaves the queue.
 */
import { BehaviorSubject, Observable } from 'rxjs';

/**
 * The default bound: at most this many turns run at once on one client. From the concurrency curve
 * (bench/RESULTS.md, "Concurrency"): the CLI binary's turns stay in seconds up to about 10 at once and
 * stretch sharply past it; on the SDK runtime, 50 to 200 turns ended in 0.5-0.9x the unbounded time
 * with this bound (1.6x at 25), so it costs a fast agent little and keeps a slow one in its good range.
 */
export const DEFAULT_MAX_CONCURRENT_TURNS = 8;

/** What `client.turnQueue$` reports. */
export interface TurnQueueState {
  /** Turns sent and not yet ended. */
  readonly running: number;
  /** Turns waiting for a slot, in the order they will start. */
  readonly queued: number;
  /** The bound on `running` (`Infinity` when unbounded). */
  readonly limit: number;
}

interface Waiting {
  start(): void;
  fail(error: Error): void;
}

export class TurnLimiter {
  readonly #limit: number;
  /** First-come order is the Set's insertion order; leaving it is O(1), however long it is. */
  readonly #queue = new Set<Waiting>();
  readonly #state: BehaviorSubject<TurnQueueState>;
  #running = 0;
  #draining = false;
  #closedWith: Error | undefined;

  /** Running and queued turns, on every change. Replays the current state to a new subscriber. */
  readonly state$: Observable<TurnQueueState>;

  /** @throws RangeError naming the option, unless `limit` is a positive integer or Infinity. */
  constructor(limit: number) {
    if (!(limit === Infinity || (Number.isInteger(limit) && limit > 0))) {
      throw new RangeError(`maxConcurrentTurns must be a positive integer or Infinity. Got ${String(limit)}`);
    }
    this.#limit = limit;
    this.#state = new BehaviorSubject<TurnQueueState>({ running: 0, queued: 0, limit });
    this.state$ = this.#state.asObservable();
  }

  get state(): TurnQueueState {
    return this.#state.value;
  }

  /**
   * `turn$` (cold: subscribing sends) subscribed when a slot is free, its slot held until it ends or
   * is unsubscribed. After `close()`, fails at once with the close error.
   */
  schedule<T>(turn$: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      if (this.#closedWith) {
        subscriber.error(this.#closedWith);
        return undefined;
      }
      let phase: 'queued' | 'running' | 'done' = 'queued';
      const waiting: Waiting = {
        start: () => {
          phase = 'running';
          this.#running++;
          this.#publish();
          // The subscriber itself, not an observer: the turn's teardown (abort) joins this
          // subscription, so unsubscribing here reaches the running turn.
          turn$.subscribe(subscriber);
        },
        fail: (error) => subscriber.error(error),
      };
      this.#queue.add(waiting);
      this.#publish();
      this.#drain();
      return () => {
        const was = phase;
        phase = 'done';
        if (was === 'queued') {
          this.#queue.delete(waiting);
          this.#publish();
          return;
        }
        if (was !== 'running') return;
        this.#running--;
        this.#publish();
        this.#drain();
      };
    });
  }

  /**
   * Fails every queued turn with `error` (the connection ended: they would never be answered) and every
   * later one. Running turns end by themselves: their session streams end with the connection.
   */
  close(error: Error): void {
    if (this.#closedWith) return;
    this.#closedWith = error;
    const queued = [...this.#queue];
    this.#queue.clear();
    for (const waiting of queued) waiting.fail(error);
    this.#publish();
    this.#state.complete();
  }

  /**
   * Starts queued turns while slots are free. A loop, not recursion: a turn that ends synchronously
   * inside `start()` frees its slot and calls back here, which must not start the next one from
   * within that call (an unbounded stack with a long queue).
   */
  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.#running < this.#limit && !this.#closedWith) {
        const next = this.#queue.values().next();
        if (next.done) break;
        this.#queue.delete(next.value);
        next.value.start();
      }
    } finally {
      this.#draining = false;
    }
  }

  #publish(): void {
    if (this.#state.closed) return;
    this.#state.next({ running: this.#running, queued: this.#queue.size, limit: this.#limit });
  }
}
