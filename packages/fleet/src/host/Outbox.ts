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
 * bound is NOT kept: it is counted for its session, and once there is room again (the next ack of any
 * session) the session gets an `events.dropped` lifecycle record (count, first and last id), so
 * consumers see a typed gap, never silence; `dropped` counts them all. Lifecycle records are few (one
 * per transition) and are always kept. Memory is therefore bounded by `maxPendingEvents` × the event
 * size, plus one small lane per session that has not been retired.
 *
 * Lanes: one per session, made by its first record. `retireLane` lets one go once everything queued in
 * it is acknowledged (and its gap, if any, reported); a record pushed after that is still published, in
 * order: into the retiring lane while it drains, or into a fresh lane once it is gone, which lives until
 * it is retired in turn. Nothing is refused because its session ended.
 *
 * Cost per event (`npm run bench -- fleet` measures it): an event's JSON is serialised once, by the
 * caller, and appended to its batch once; a queued event is its string, not an object around it; the
 * queue lets go of it when its batch is formed (the batch alone is retried), so it lives from push to
 * batch rather than until a later compaction and the garbage collector seldom promotes it; and the
 * batches of all ready sessions are published in one run, which the client sends in one socket write.
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

/** A queued lifecycle record; a queued event is just its JSON string (no object an event). */
interface LifecycleItem {
  readonly msgId: string;
  readonly json: string;
}

interface Batch {
  readonly subject: string;
  readonly payload: string;
  readonly msgId: string;
  readonly items: number;
  readonly events: number;
}

interface Lane {
  readonly key: string;
  readonly eventSubject: string;
  readonly lifecycleSubject: string;
  /** This outbox's count of lanes when the lane opened: keeps lifecycle ids of a re-opened lane apart. */
  readonly number: number;
  /** Records not yet in a batch are `queue[head..]`; the slots before `head` are cleared. */
  readonly queue: (string | LifecycleItem | undefined)[];
  /** Beside each queued event its id (a batch's message id names its first and last); else undefined. */
  readonly ids: (string | undefined)[];
  head: number;
  inFlight: Batch | undefined;
  scheduled: boolean;
  retired: boolean;
  lifecycleSeq: number;
  dropped: { count: number; firstId: string; lastId: string } | undefined;
}

export interface OutboxStats {
  /** Events queued or in flight. */
  readonly pending: number;
  readonly dropped: number;
  readonly published: number;
  readonly batches: number;
  readonly retries: number;
  /** Sessions with a lane (retired lanes that still drain included). */
  readonly lanes: number;
}

export class Outbox {
  readonly #config: Required<OutboxConfig>;
  readonly #lanes = new Map<string, Lane>();
  /** Lanes with dropped events whose `events.dropped` record waits for room. */
  readonly #gapped = new Set<Lane>();
  /** Lanes waiting for the next run of `#schedule`, in the order they became ready. */
  readonly #ready: Lane[] = [];
  #lanesOpened = 0;
  #pending = 0;
  /** Records queued or in flight, events and lifecycle alike: what `drain` waits for. */
  #records = 0;
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
    return { pending: this.#pending, dropped: this.#dropped, published: this.#published, batches: this.#batches, retries: this.#retries, lanes: this.#lanes.size };
  }

  /** Queues one event of a session; returns false when the outbox is full (the event is counted as dropped). */
  pushEvent(laneKey: string, subjects: LaneSubjects, id: string, json: string): boolean {
    const lane = this.#lane(laneKey, subjects);
    if (this.#pending >= this.#config.maxPendingEvents) {
      this.#dropped++;
      if (lane.dropped) {
        lane.dropped.count++;
        lane.dropped.lastId = id;
      } else {
        lane.dropped = { count: 1, firstId: id, lastId: id };
        this.#gapped.add(lane);
      }
      return false;
    }
    // The gap goes first: it happened before this event.
    this.#flushDropped(lane);
    lane.queue.push(json);
    lane.ids.push(id);
    this.#pending++;
    this.#records++;
    this.#schedule(lane);
    return true;
  }

  /** Queues one lifecycle record of a session, in order with its events. Always kept. */
  pushLifecycle(laneKey: string, subjects: LaneSubjects, record: LifecycleRecord): void {
    const lane = this.#lane(laneKey, subjects);
    this.#flushDropped(lane);
    this.#pushRecord(lane, record);
    this.#schedule(lane);
  }

  /**
   * Lets a session's lane go once everything queued in it is acknowledged and its gap, if any, is
   * reported (at once when nothing waits). Call it after the session's last record, e.g. its
   * `session.destroyed`; a record pushed later is still published (see the header). Unknown keys are
   * ignored.
   */
  retireLane(laneKey: string): void {
    const lane = this.#lanes.get(laneKey);
    if (!lane) return;
    lane.retired = true;
    this.#removeIfRetired(lane);
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
      lane = {
        key,
        eventSubject: subjects.eventSubject,
        lifecycleSubject: subjects.lifecycleSubject,
        number: this.#lanesOpened++,
        queue: [],
        ids: [],
        head: 0,
        inFlight: undefined,
        scheduled: false,
        retired: false,
        lifecycleSeq: 0,
        dropped: undefined,
      };
      this.#lanes.set(key, lane);
    }
    return lane;
  }

  #pushRecord(lane: Lane, record: LifecycleRecord): void {
    // The broker de-duplicates by message id across the whole stream: the subject names host and
    // session, the lane number and sequence make it unique in this outbox (a re-opened lane starts its
    // sequence again), the time apart from an earlier run of the host. Stable across retries.
    const msgId = `${lane.lifecycleSubject}:${lane.number}.${lane.lifecycleSeq++}:${record.at}`;
    lane.queue.push({ msgId, json: JSON.stringify(record) });
    lane.ids.push(undefined);
    this.#records++;
  }

  #flushDropped(lane: Lane): void {
    if (!lane.dropped || this.#pending >= this.#config.maxPendingEvents) return;
    const { count, firstId, lastId } = lane.dropped;
    lane.dropped = undefined;
    this.#gapped.delete(lane);
    this.#pushRecord(lane, { type: 'events.dropped', count, firstId, lastId, at: Date.now() });
    this.#schedule(lane);
  }

  /**
   * Coalesces everything that arrives in the same tick (one read from the CLI's socket) into one batch
   * per session, and the batches of every ready session into one run: the client writes publishes made
   * in one run to its socket at once, and a write costs far more than the bytes in it. After an ack the
   * session's next batch waits for that run too, so acks read together are answered together.
   */
  #schedule(lane: Lane): void {
    if (lane.scheduled || lane.inFlight || this.#closed) return;
    lane.scheduled = true;
    this.#ready.push(lane);
    if (this.#ready.length > 1) return;
    setImmediate(() => {
      const ready = this.#ready.splice(0);
      for (const each of ready) {
        each.scheduled = false;
        this.#send(each);
      }
    });
  }

  #send(lane: Lane): void {
    if (this.#closed || lane.inFlight) return;
    const batch = this.#takeBatch(lane);
    if (!batch) {
      this.#removeIfRetired(lane);
      return this.#notifyIfIdle();
    }
    lane.inFlight = batch;
    this.#publishBatch(lane, batch);
  }

  #publishBatch(lane: Lane, batch: Batch): void {
    let acked: Promise<void>;
    try {
      acked = this.publish(batch.subject, batch.payload, batch.msgId);
    } catch (error) {
      // A publisher that throws instead of rejecting fails like one that rejects: the batch is retried,
      // and the other sessions of this run still go out.
      acked = Promise.reject(error);
    }
    acked.then(
      () => {
        lane.inFlight = undefined;
        this.#pending -= batch.events;
        this.#records -= batch.items;
        this.#published += batch.events;
        this.#batches++;
        // There may be room now: the gaps of every session go out before their next events.
        for (const gapped of this.#gapped) this.#flushDropped(gapped);
        this.#schedule(lane);
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

  /**
   * The next batch: a run of consecutive events, or one lifecycle record. The records it takes leave
   * the queue now (the batch alone is retried), so their strings can be collected once it is acked.
   */
  #takeBatch(lane: Lane): Batch | undefined {
    const { queue, ids } = lane;
    const first = queue[lane.head];
    if (first === undefined) {
      queue.length = 0;
      ids.length = 0;
      lane.head = 0;
      return undefined;
    }
    let batch: Batch;
    if (typeof first !== 'string') {
      queue[lane.head++] = undefined;
      batch = { subject: lane.lifecycleSubject, payload: first.json, msgId: first.msgId, items: 1, events: 0 };
    } else {
      // Appending builds a rope that the client's encoder flattens once: no array of parts, no join copy.
      const { maxBatchEvents, maxBatchChars } = this.#config;
      const start = lane.head;
      const end = Math.min(queue.length, start + maxBatchEvents);
      let payload = '{"v":1,"events":[' + first;
      let chars = first.length;
      let i = start + 1;
      for (; i < end; i++) {
        const item = queue[i];
        if (typeof item !== 'string' || chars + item.length > maxBatchChars) break;
        payload += ',' + item;
        chars += item.length;
      }
      payload += ']}';
      const count = i - start;
      const firstId = ids[start]!;
      // A single event's message id is its event id; a batch's names its first event and its size,
      // which is stable because a batch is never re-formed.
      const msgId = count === 1 ? firstId : `${firstId}+${count}:${ids[i - 1]!}`;
      queue.fill(undefined, start, i);
      ids.fill(undefined, start, i);
      lane.head = i;
      batch = { subject: lane.eventSubject, payload, msgId, items: count, events: count };
    }
    // Compact now and then: the cleared slots cost a word each, and moving the rest is paid for by them.
    if (lane.head > 1024 && lane.head * 2 > queue.length) {
      queue.splice(0, lane.head);
      ids.splice(0, lane.head);
      lane.head = 0;
    }
    return batch;
  }

  #removeIfRetired(lane: Lane): void {
    if (!lane.retired || lane.inFlight || lane.scheduled || lane.dropped || lane.head < lane.queue.length) return;
    if (this.#lanes.get(lane.key) === lane) this.#lanes.delete(lane.key);
  }

  #waiting(): number {
    return this.#records + this.#gapped.size;
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
