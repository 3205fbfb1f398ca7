/**
 * The host's bounded outbox: every session event waits here until JetStream acknowledged it.
 *
 * Per session, ONE publish is in flight at a time (stop-and-wait) and everything that arrived
 * meanwhile goes out as the next batch, so batches grow with load (one message per session per tick
 * when the broker keeps up, bigger ones when it lags). That choice is what keeps exactly-once and order
 * together: a batch, once formed, is never re-formed, so a retry re-publishes the same bytes under the
 * same message id (the broker drops it as a duplicate); and since nothing of a session is published
 * past an unacknowledged batch, a retried batch can never land behind a later one.
 *
 * The bound: at most `maxPendingEvents` events wait (in flight included). An event arriving at the
 * bound is NOT kept: it is counted for its session, and once there is room again the session gets an
 * `events.dropped` lifecycle record (count, first and last id), so consumers see a typed gap, never
 * silence; `dropped` counts them all. Lifecycle records are few (one per transition) and are always
 * kept. Memory is therefore bounded by `maxPendingEvents` × the event size.
 */
import type { LifecycleRecord } from '../wire/records.js';

export interface OutboxConfig {
  /** Events that may wait for the broker before new ones are dropped (and reported). Default: 100 000. */
  readonly maxPendingEvents?: number;
  /** Most events in one batch. Default: 1 000. */
  readonly maxBatchEvents?: number;
  /** Most characters of event JSON in one batch (under the stream's max message size). Default: 512 KiB. */
  readonly maxBatchChars?: number;
  /** Pause before re-publishing a batch that failed or was not acknowledged. Default: 250 ms. */
  readonly retryDelayMs?: number;
}

export const DEFAULT_OUTBOX: Required<OutboxConfig> = {
  maxPendingEvents: 100_000,
  maxBatchEvents: 1_000,
  maxBatchChars: 512 * 1024,
  retryDelayMs: 250,
};

/** Publishes one message and resolves when JetStream acknowledged it (a duplicate counts as acknowledged). */
export type Publisher = (subject: string, payload: string, msgId: string) => Promise<void>;

type Item =
  | { readonly kind: 'event'; readonly id: string; readonly json: string }
  | { readonly kind: 'lifecycle'; readonly msgId: string; readonly json: string };

interface Batch {
  readonly subject: string;
  readonly payload: string;
  readonly msgId: string;
  readonly items: number;
  readonly events: number;
}

interface Lane {
  readonly eventSubject: string;
  readonly lifecycleSubject: string;
  readonly queue: Item[];
  head: number;
  inFlight: Batch | undefined;
  scheduled: boolean;
  lifecycleSeq: number;
  dropped: { count: number; firstId: string; lastId: string } | undefined;
}

export interface OutboxStats {
  readonly pending: number;
  readonly dropped: number;
  readonly published: number;
  readonly batches: number;
  readonly retries: number;
}

export class Outbox {
  readonly #config: Required<OutboxConfig>;
  readonly #lanes = new Map<string, Lane>();
  #pending = 0;
  #dropped = 0;
  #published = 0;
  #batches = 0;
  #retries = 0;
  #closed = false;
  readonly #idleWaiters = new Set<() => void>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly publish: Publisher,
    config: OutboxConfig = {},
    /** Told about every failed publish before its retry (for logs and metrics); must not throw. */
    private readonly onPublishError: (error: unknown) => void = () => undefined,
  ) {
    this.#config = { ...DEFAULT_OUTBOX, ...config };
  }

  get stats(): OutboxStats {
    return { pending: this.#pending, dropped: this.#dropped, published: this.#published, batches: this.#batches, retries: this.#retries };
  }

  /** Queues one event of a session; returns false when the outbox is full (the event is counted as dropped). */
  pushEvent(laneKey: string, subjects: LaneSubjects, id: string, json: string): boolean {
    const lane = this.#lane(laneKey, subjects);
    if (this.#pending >= this.#config.maxPendingEvents) {
      this.#dropped++;
      if (lane.dropped) {
        lane.dropped.count++;
        lane.dropped.lastId = id;
      } else lane.dropped = { count: 1, firstId: id, lastId: id };
      return false;
    }
    this.#flushDropped(lane);
    lane.queue.push({ kind: 'event', id, json });
    this.#pending++;
    this.#schedule(lane);
    return true;
  }

  /** Queues one lifecycle record of a session, in order with its events. Always kept. */
  pushLifecycle(laneKey: string, subjects: LaneSubjects, record: LifecycleRecord): void {
    const lane = this.#lane(laneKey, subjects);
    this.#flushDropped(lane);
    this.#pushRecord(lane, laneKey, record);
    this.#schedule(lane);
  }

  /** Resolves when nothing waits, or after `timeoutMs` with the number still waiting. */
  drain(timeoutMs: number): Promise<number> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#idleWaiters.delete(done);
        resolve(this.#waiting());
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      this.#idleWaiters.add(done);
      if (this.#waiting() === 0) done();
    });
  }

  /** Stops publishing; what still waits is abandoned (call `drain` first). */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #lane(key: string, subjects: LaneSubjects): Lane {
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = { ...subjects, queue: [], head: 0, inFlight: undefined, scheduled: false, lifecycleSeq: 0, dropped: undefined };
      this.#lanes.set(key, lane);
    }
    return lane;
  }

  #pushRecord(lane: Lane, laneKey: string, record: LifecycleRecord): void {
    // Unique per host and session, and stable across retries of the same record.
    lane.queue.push({ kind: 'lifecycle', msgId: `${laneKey}:lc:${lane.lifecycleSeq++}:${record.at}`, json: JSON.stringify(record) });
  }

  #flushDropped(lane: Lane): void {
    if (!lane.dropped || this.#pending >= this.#config.maxPendingEvents) return;
    const { count, firstId, lastId } = lane.dropped;
    lane.dropped = undefined;
    this.#pushRecord(lane, lane.eventSubject, { type: 'events.dropped', count, firstId, lastId, at: Date.now() });
  }

  // Coalesces everything that arrives in the same tick (one read from the CLI's socket) into one batch.
  #schedule(lane: Lane): void {
    if (lane.scheduled || lane.inFlight || this.#closed) return;
    lane.scheduled = true;
    setImmediate(() => {
      lane.scheduled = false;
      this.#send(lane);
    });
  }

  #send(lane: Lane): void {
    if (this.#closed || lane.inFlight) return;
    const batch = lane.inFlight ?? this.#takeBatch(lane);
    if (!batch) return this.#notifyIfIdle();
    lane.inFlight = batch;
    this.#publishBatch(lane, batch);
  }

  #publishBatch(lane: Lane, batch: Batch): void {
    this.publish(batch.subject, batch.payload, batch.msgId).then(
      () => {
        lane.inFlight = undefined;
        lane.head += batch.items;
        // Compact now and then so the queue array does not keep every sent item alive.
        if (lane.head > 1024 && lane.head * 2 > lane.queue.length) {
          lane.queue.splice(0, lane.head);
          lane.head = 0;
        }
        this.#pending -= batch.events;
        this.#published += batch.events;
        this.#batches++;
        this.#flushDropped(lane);
        this.#send(lane);
      },
      (error: unknown) => {
        this.#retries++;
        try {
          this.onPublishError(error);
        } catch {
          // A faulty reporter must not stop the retry.
        }
        if (this.#closed) return;
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          if (!this.#closed) this.#publishBatch(lane, batch);
        }, this.#config.retryDelayMs);
        timer.unref();
        this.#timers.add(timer);
      },
    );
  }

  /** The next batch: a run of consecutive events, or one lifecycle record. */
  #takeBatch(lane: Lane): Batch | undefined {
    const { queue } = lane;
    const first = queue[lane.head];
    if (!first) {
      queue.length = 0;
      lane.head = 0;
      return undefined;
    }
    if (first.kind === 'lifecycle') {
      return { subject: lane.lifecycleSubject, payload: first.json, msgId: first.msgId, items: 1, events: 0 };
    }
    const { maxBatchEvents, maxBatchChars } = this.#config;
    const parts: string[] = [];
    let chars = 0;
    let i = lane.head;
    for (; i < queue.length && parts.length < maxBatchEvents; i++) {
      const item = queue[i]!;
      if (item.kind !== 'event' || (parts.length > 0 && chars + item.json.length > maxBatchChars)) break;
      parts.push(item.json);
      chars += item.json.length;
    }
    const last = queue[i - 1] as Item & { id: string };
    // A single event's message id is its event id; a batch's names its first event and its size,
    // which is stable because a batch is never re-formed.
    const msgId = parts.length === 1 ? first.id : `${first.id}+${parts.length}:${last.id}`;
    return { subject: lane.eventSubject, payload: `{"v":1,"events":[${parts.join(',')}]}`, msgId, items: parts.length, events: parts.length };
  }

  #waiting(): number {
    let records = 0;
    for (const lane of this.#lanes.values()) records += lane.queue.length - lane.head + (lane.dropped ? 1 : 0);
    return records;
  }

  #notifyIfIdle(): void {
    if (this.#idleWaiters.size === 0 || this.#waiting() > 0) return;
    for (const waiter of [...this.#idleWaiters]) waiter();
  }
}

export interface LaneSubjects {
  readonly eventSubject: string;
  readonly lifecycleSubject: string;
}
