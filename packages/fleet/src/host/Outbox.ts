/**
 * The host's bounded outbox: every session event waits here until JetStream acknowledged it.
 *
 * Per session, ONE publish is in flight at a time (stop-and-wait) and everything that arrived
 * meanwhile goes out as the next batch, so batches grow with load (one message per session per tick
 * when the broker keeps up, bigger ones when it lags). That choice is what keeps exactly-once and order
 * together: a batch, once formed, is never re-formed (unless the broker refused it as too large, when
 * nothing of it was stored: see Size), so a retry re-publishes the same bytes under the same message
 * id (the broker drops it as a duplicate); and since nothing of a session is published
 * past an unacknowledged batch, a retried batch can never land behind a later one.
 *
 * The bound: at most `maxPendingEvents` events wait (in flight included). An event arriving at the
 * bound is NOT kept: it is counted for its session, and once there is room again (the next ack of any
 * session) the session gets an `events.dropped` lifecycle record (count, first and last id), so
 * consumers see a typed gap, never silence; `dropped` counts them all. Lifecycle records are few (one
 * per transition) and are always kept (unless too large to publish at all). Memory is therefore bounded by `maxPendingEvents` × the event
 * size, plus one small lane per session that has not been retired.
 *
 * Size: the broker refuses a message over its limit (the stream's max message size, the server's
 * max_payload) on every retry, so one such message would stall its session for ever. Sizes are UTF-8
 * bytes, headers included (see messageSize.ts). A batch stays under `maxBatchBytes` and under
 * `maxMessageBytes` with its envelope and headers. A record that alone would be over `maxMessageBytes`
 * is not queued: an event is counted as dropped and its session gets its `events.dropped` gap like one
 * dropped at the bound, a lifecycle record is left out; each is reported (`FleetMessageTooLargeError`,
 * naming session, event and sizes). Should the broker still refuse a message as too large (its limit is lower than this outbox's,
 * e.g. another host lowered the stream's), nothing of it was stored, so that batch alone may be
 * re-formed: several events go back to the head of their queue and later batches are kept under half
 * the refused size, so it goes out in halves; a single event is dropped with a gap in its place, a
 * lifecycle record is dropped; each is reported. Any other failure is retried: a timeout, a broker
 * away, a stream being re-created pass.
 *
 * Lanes: one per session, made by its first record. `retireLane` lets one go once everything queued in
 * it is acknowledged (and its gap, if any, reported); a record pushed after that is still published, in
 * order: into the retiring lane while it drains, or into a fresh lane once it is gone, which lives until
 * it is retired in turn. Nothing is refused because its session ended.
 *
 * Cost per event (`npm run bench -- fleet` measures it): an event's JSON is serialised once, by the
 * caller, and appended to its batch once; a queued event is its string, not an object around it; the
 * queue lets go of it when its batch is formed (the batch alone is retried), so it lives from push to
 * batch rather than until a later compaction and the garbage collector seldom promotes it (a batch of
 * several keeps its parts until acked, in case the broker refuses it as too large); sizes are counted
 * as `length × 3`, a bound on the UTF-8 bytes, and measured only where that bound no longer proves a
 * fit (with the default limits, an event of over ~350 K characters or a batch of over ~170 K: rare);
 * and the batches of all ready sessions are published in one run, which the client sends in one
 * socket write.
 */
import { FleetMessageTooLargeError } from '../errors.js';
import { quote } from '../quote.js';
import type { LifecycleRecord } from '../wire/records.js';
import { isTooLargeForBroker, MAX_UTF8_BYTES_PER_UNIT, MSG_ID_HEADER_BYTES, utf8Bytes } from './messageSize.js';

export interface OutboxConfig {
  /** Events that may wait for the broker before new ones are dropped (and reported). Default: 100 000. */
  readonly maxPendingEvents?: number;
  /** Most events in one batch. Default: 1 000. */
  readonly maxBatchEvents?: number;
  /** Most UTF-8 bytes of payload in one batch (its events' JSON in the batch envelope). Default: 512 KiB. */
  readonly maxBatchBytes?: number;
  /**
   * The largest message the broker takes, in UTF-8 bytes with the NATS headers: a record that alone
   * would be larger is not queued but reported (an event as a gap). Default: 1 MiB, the fleet stream's
   * and NATS's default; a FleetHost takes the smaller of its stream's max message size and the
   * server's max_payload.
   */
  readonly maxMessageBytes?: number;
  /** Pause before re-publishing a batch that failed or was not acknowledged. Default: 250 ms. */
  readonly retryDelayMs?: number;
}

export const DEFAULT_OUTBOX: Required<OutboxConfig> = {
  maxPendingEvents: 100_000,
  maxBatchEvents: 1_000,
  maxBatchBytes: 512 * 1024,
  maxMessageBytes: 1024 ** 2,
  retryDelayMs: 250,
};

/**
 * The config with its defaults, checked: a limit that is not a positive finite number (NaN, 0, a
 * string) would make every size comparison false and so switch the bound off. An option left undefined
 * takes its default.
 * @throws RangeError naming the option and its value.
 */
export function resolveOutboxConfig(config: OutboxConfig = {}): Required<OutboxConfig> {
  const resolved = { ...DEFAULT_OUTBOX };
  for (const option of Object.keys(DEFAULT_OUTBOX) as (keyof OutboxConfig)[]) {
    const value: unknown = config[option];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`OutboxConfig.${option} must be a positive finite number. Got ${quote(value)}`);
    resolved[option] = value;
  }
  return resolved;
}

/**
 * A host's outbox config: the user's, with `maxMessageBytes` the broker's limit unless the user set
 * one (an explicit undefined is not set: it must not take the limit away).
 */
export function hostOutboxConfig(config: OutboxConfig | undefined, brokerLimit: number): OutboxConfig {
  return { ...config, maxMessageBytes: config?.maxMessageBytes ?? brokerLimit };
}

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
  /** A batch of several events: its events' JSON and ids, to re-form it should the broker refuse it as too large. */
  readonly parts: { readonly json: readonly string[]; readonly ids: readonly string[] } | undefined;
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
  dropped: Gap | undefined;
}

/** Consecutive dropped events of a lane; `turnIds` undefined once any drop could not name its turns. */
interface Gap {
  count: number;
  firstId: string;
  lastId: string;
  turnIds: Set<string> | undefined;
}

/** Beyond this many turns named in one gap, it names none (every running turn fails): the record stays small. */
const MAX_TURNS_NAMED = 64;

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

/** The batch envelope around its events' JSON, `{"v":1,"events":[` and `]}`, in bytes. */
const ENVELOPE_BYTES = 19;

export class Outbox {
  readonly #config: Required<OutboxConfig>;
  /** Most payload bytes of a batch: `maxBatchBytes`, or half a batch the broker refused as too large. */
  #batchBytes: number;
  /** A batch's message id beyond its first and last event ids: `+`, the count, `:`. */
  readonly #batchIdExtraBytes: number;
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

  /** @throws RangeError naming the option, for a config value that is not a positive finite number. */
  constructor(
    readonly publish: Publisher,
    config: OutboxConfig = {},
    /**
     * Told about every failed publish before its retry, and about every record no message can carry
     * (a FleetMessageTooLargeError), for logs and metrics; what it throws is ignored.
     */
    private readonly onPublishError: (error: unknown) => void = () => undefined,
    /**
     * The remote turns a lane's events dropped now may belong to (FleetHost: RemoteTurns.turnIds), named
     * in its `events.dropped` record; undefined when it cannot tell.
     */
    private readonly turnsAt: (laneKey: string) => readonly string[] | undefined = () => undefined,
  ) {
    this.#config = resolveOutboxConfig(config);
    this.#batchBytes = this.#config.maxBatchBytes;
    this.#batchIdExtraBytes = 2 + String(this.#config.maxBatchEvents).length;
  }

  get stats(): OutboxStats {
    return { pending: this.#pending, dropped: this.#dropped, published: this.#published, batches: this.#batches, retries: this.#retries, lanes: this.#lanes.size };
  }

  /**
   * Queues one event of a session; returns false when the outbox is full or the event alone is over
   * `maxMessageBytes` (the event is counted as dropped; one too large is also reported).
   */
  pushEvent(laneKey: string, subjects: LaneSubjects, id: string, json: string): boolean {
    const lane = this.#lane(laneKey, subjects);
    const { maxMessageBytes } = this.#config;
    const overhead = ENVELOPE_BYTES + MSG_ID_HEADER_BYTES;
    // The cheap bound first: measuring costs more than the rest of a push.
    if ((json.length + id.length) * MAX_UTF8_BYTES_PER_UNIT + overhead > maxMessageBytes) {
      const bytes = utf8Bytes(json) + utf8Bytes(id) + overhead;
      if (bytes > maxMessageBytes) {
        this.#countDropped(lane, id);
        // In order now, when there is room: the session's next event must come after its gap.
        this.#flushDropped(lane);
        this.#report(new FleetMessageTooLargeError(laneKey, id, 'event', bytes, maxMessageBytes, 'outbox'));
        return false;
      }
    }
    if (this.#pending >= this.#config.maxPendingEvents) {
      this.#countDropped(lane, id);
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

  /**
   * Queues one lifecycle record of a session, in order with its events. Always kept, unless it alone
   * is over `maxMessageBytes` (then it is reported instead).
   */
  pushLifecycle(laneKey: string, subjects: LaneSubjects, record: LifecycleRecord): void {
    const lane = this.#lane(laneKey, subjects);
    this.#flushDropped(lane);
    const item = this.#lifecycleItem(lane, record);
    const { maxMessageBytes } = this.#config;
    if ((item.json.length + item.msgId.length) * MAX_UTF8_BYTES_PER_UNIT + MSG_ID_HEADER_BYTES > maxMessageBytes) {
      const bytes = utf8Bytes(item.json) + utf8Bytes(item.msgId) + MSG_ID_HEADER_BYTES;
      if (bytes > maxMessageBytes) {
        this.#report(new FleetMessageTooLargeError(laneKey, undefined, record.type, bytes, maxMessageBytes, 'outbox'));
        return this.#removeIfRetired(lane);
      }
    }
    this.#queueRecord(lane, item);
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

  #lifecycleItem(lane: Lane, record: LifecycleRecord): LifecycleItem {
    // The broker de-duplicates by message id across the whole stream: the subject names host and
    // session, the lane number and sequence make it unique in this outbox (a re-opened lane starts its
    // sequence again), the time apart from an earlier run of the host. Stable across retries.
    const msgId = `${lane.lifecycleSubject}:${lane.number}.${lane.lifecycleSeq++}:${record.at}`;
    return { msgId, json: JSON.stringify(record) };
  }

  #queueRecord(lane: Lane, item: LifecycleItem): void {
    lane.queue.push(item);
    lane.ids.push(undefined);
    this.#records++;
  }

  /** Counts an event that is not kept; consecutive ones make one gap (no kept event of the session lies between them). */
  #countDropped(lane: Lane, id: string): void {
    this.#dropped++;
    // Asked at every drop, not once per gap: a gap goes on growing while newer turns start.
    const turns = this.turnsAt(lane.key);
    if (lane.dropped) {
      lane.dropped.count++;
      lane.dropped.lastId = id;
    } else {
      lane.dropped = { count: 1, firstId: id, lastId: id, turnIds: new Set() };
      this.#gapped.add(lane);
    }
    const gap = lane.dropped;
    if (!gap.turnIds) return;
    if (!turns) return void (gap.turnIds = undefined);
    for (const turnId of turns) gap.turnIds.add(turnId);
    if (gap.turnIds.size > MAX_TURNS_NAMED) gap.turnIds = undefined;
  }

  #flushDropped(lane: Lane): void {
    if (!lane.dropped || this.#pending >= this.#config.maxPendingEvents) return;
    const { count, firstId, lastId, turnIds } = lane.dropped;
    lane.dropped = undefined;
    this.#gapped.delete(lane);
    const named = turnIds ? { turnIds: [...turnIds] } : {};
    this.#queueRecord(lane, this.#lifecycleItem(lane, { type: 'events.dropped', count, firstId, lastId, ...named, at: Date.now() }));
    this.#schedule(lane);
  }

  /** There may be room now: the gaps of every session go out before their next events. */
  #flushAllDropped(): void {
    for (const gapped of this.#gapped) this.#flushDropped(gapped);
  }

  #report(error: unknown): void {
    try {
      this.onPublishError(error);
    } catch {
      // A faulty reporter must not stop the outbox.
    }
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
        this.#flushAllDropped();
        this.#schedule(lane);
      },
      (error: unknown) => {
        // No retry makes a message smaller: re-form or drop it, or it stalls its session for ever.
        if (!this.#closed && isTooLargeForBroker(error)) return this.#refusedAsTooLarge(lane, batch, error);
        this.#retries++;
        this.#report(error);
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
      batch = { subject: lane.lifecycleSubject, payload: first.json, msgId: first.msgId, items: 1, events: 0, parts: undefined };
    } else {
      batch = this.#takeEvents(lane, first);
    }
    // Compact now and then: the cleared slots cost a word each, and moving the rest is paid for by them.
    if (lane.head > 1024 && lane.head * 2 > queue.length) {
      queue.splice(0, lane.head);
      ids.splice(0, lane.head);
      lane.head = 0;
    }
    return batch;
  }

  /**
   * A run of consecutive events from `queue[head]` (`first`): at most `maxBatchEvents`, and as many
   * as fit the batch's bytes and, with the envelope and headers, the message's.
   */
  #takeEvents(lane: Lane, first: string): Batch {
    const { queue, ids } = lane;
    const start = lane.head;
    const end = Math.min(queue.length, start + this.#config.maxBatchEvents);
    const firstId = ids[start]!;
    // Room for the events' JSON and the commas between them. The message id of a batch names its
    // first and last event: the last one's length is added per event.
    const batchRoom = this.#batchBytes - ENVELOPE_BYTES;
    const messageRoom = this.#config.maxMessageBytes - ENVELOPE_BYTES - MSG_ID_HEADER_BYTES - this.#batchIdExtraBytes - firstId.length * MAX_UTF8_BYTES_PER_UNIT;
    // Appending builds a rope that the client's encoder flattens once: no array of parts, no join copy.
    let payload = '{"v":1,"events":[' + first;
    let chars = first.length;
    // The exact UTF-8 size of the events so far, once their `chars × 3` no longer proves a fit.
    let bytes = -1;
    let i = start + 1;
    for (; i < end; i++) {
      const item = queue[i];
      if (typeof item !== 'string') break;
      const room = Math.min(batchRoom, messageRoom - ids[i]!.length * MAX_UTF8_BYTES_PER_UNIT);
      if (bytes >= 0 || (chars + 1 + item.length) * MAX_UTF8_BYTES_PER_UNIT > room) {
        if (bytes < 0) bytes = utf8BytesOf(queue, start, i);
        const next = bytes + 1 + utf8Bytes(item);
        if (next > room) break;
        bytes = next;
      }
      payload += ',' + item;
      chars += 1 + item.length;
    }
    payload += ']}';
    const count = i - start;
    // A single event's message id is its event id; a batch's names its first event and its size,
    // which is stable because a batch is re-formed only after the broker refused it (nothing stored).
    const msgId = count === 1 ? firstId : `${firstId}+${count}:${ids[i - 1]!}`;
    const parts = count === 1 ? undefined : { json: queue.slice(start, i) as string[], ids: ids.slice(start, i) as string[] };
    queue.fill(undefined, start, i);
    ids.fill(undefined, start, i);
    lane.head = i;
    return { subject: lane.eventSubject, payload, msgId, items: count, events: count, parts };
  }

  /**
   * The broker refused `batch` as too large: its limit is below this outbox's. Nothing of it was
   * stored, so it may be re-formed: several events go back to the head of their queue, and every
   * later batch stays under half its size, so it goes out in halves (a refused half halves again);
   * a single event is dropped with its gap in its place, a lifecycle record is dropped. Reported.
   */
  #refusedAsTooLarge(lane: Lane, batch: Batch, error: unknown): void {
    lane.inFlight = undefined;
    if (batch.parts) {
      this.#batchBytes = Math.min(this.#batchBytes, Math.floor(utf8Bytes(batch.payload) / 2));
      lane.queue.splice(lane.head, 0, ...batch.parts.json);
      lane.ids.splice(lane.head, 0, ...batch.parts.ids);
      this.#report(error);
      return this.#schedule(lane);
    }
    const bytes = utf8Bytes(batch.payload) + utf8Bytes(batch.msgId) + MSG_ID_HEADER_BYTES;
    this.#records--;
    if (batch.events === 1) {
      this.#pending--;
      this.#dropped++;
      // Its gap goes where it was: before what the session queued since (there may be room for others' gaps now).
      // It names no turns: the turn it belonged to, queued a while ago, may have ended here already.
      const gap = this.#lifecycleItem(lane, { type: 'events.dropped', count: 1, firstId: batch.msgId, lastId: batch.msgId, at: Date.now() });
      lane.queue.splice(lane.head, 0, gap);
      lane.ids.splice(lane.head, 0, undefined);
      this.#records++;
      this.#flushAllDropped();
    }
    const type = batch.events === 1 ? 'event' : ((JSON.parse(batch.payload) as { type?: unknown }).type as string);
    this.#report(new FleetMessageTooLargeError(lane.key, batch.events === 1 ? batch.msgId : undefined, type, bytes, this.#config.maxMessageBytes, 'broker', { cause: error }));
    this.#schedule(lane);
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

/** UTF-8 bytes of the events `queue[from..to)` with the commas between them. */
function utf8BytesOf(queue: readonly (string | LifecycleItem | undefined)[], from: number, to: number): number {
  let bytes = to - from - 1;
  for (let k = from; k < to; k++) bytes += utf8Bytes(queue[k] as string);
  return bytes;
}

export interface LaneSubjects {
  readonly eventSubject: string;
  readonly lifecycleSubject: string;
}
