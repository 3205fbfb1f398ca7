/**
 * A per-client bound on concurrent turns, with a first-come queue. The Copilot CLI binary slows down
 * far more than linearly with concurrent turns (bench/RESULTS.md, "Concurrency": 10 turns at once end
 * in about 3 s, 25 at once take over 30 s), so running a bounded number at a time and queueing the
 * rest finishes every turn sooner than starting them all.
 *
 * A queued turn has sent nothing: it is subscribed to (which sends the prompt) only when a slot frees.
 * Unsubscribing from it while queued just leaves the queue.
 */
import { BehaviorSubject, Observable } from 'rxjs';

/**
 * The default bound: at most this many turns run at once on one client. Chosen from the concurrency
 * curve: with the CLI binary, 8 concurrent turns end about as fast as one, and more only slow every
 * turn down; the SDK runtime loses little with it. See bench/RESULTS.md, "Concurrency".
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
