import { JetStreamApiError } from '@nats-io/jetstream';
import { FleetMessageTooLargeError } from '../errors';
import { hostOutboxConfig, Outbox, type Publisher } from './Outbox';

const lane = { eventSubject: 'copilot.h.s.event', lifecycleSubject: 'copilot.h.s.lifecycle' };
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface Sent {
  readonly subject: string;
  readonly msgId: string;
  readonly payload: string;
}

/** A message's size as nats-server counts it against its limits: UTF-8 bytes of payload and headers. */
const messageBytes = (payload: string, msgId: string) => Buffer.byteLength(payload) + Buffer.byteLength(`NATS/1.0\r\nNats-Msg-Id: ${msgId}\r\n\r\n`);

/** What JetStream answers a publish past the stream's max message size. */
const tooLarge = () => new JetStreamApiError({ code: 400, err_code: 10054, description: 'message size exceeds maximum allowed' });

/**
 * A broker stand-in: stores by message id like JetStream's duplicate window, acks on demand, and
 * refuses a message over `maxMessageBytes` as JetStream does, storing nothing of it.
 */
function broker(maxMessageBytes = Infinity) {
  const stored: Sent[] = [];
  const ids = new Set<string>();
  let fail = 0;
  const publish: Publisher = async (subject, payload, msgId) => {
    await new Promise((resolve) => setImmediate(resolve));
    if (messageBytes(payload, msgId) > maxMessageBytes) throw tooLarge();
    if (!ids.has(msgId)) {
      ids.add(msgId);
      stored.push({ subject, msgId, payload });
    }
    // The ack is lost after the broker stored it: the publisher must retry the very same batch.
    if (fail > 0) {
      fail--;
      throw new Error('ack lost');
    }
  };
  const events = () => stored.filter((s) => s.subject.endsWith('.event')).flatMap((s) => (JSON.parse(s.payload) as { events: { id: string }[] }).events.map((e) => e.id));
  return { publish, stored, events, failNext: (n: number) => (fail = n) };
}

/** Holds publishes: `release()` acks those waiting now, all in the same tick (like acks read together); `open()` acks all from then on. */
function gate() {
  let waiting: (() => void)[] = [];
  let opened = false;
  return {
    wait: () => (opened ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
    release: () => {
      const now = waiting;
      waiting = [];
      for (const ack of now) ack();
    },
    open() {
      opened = true;
      this.release();
    },
  };
}

const laneOf = (session: string, host = 'h') => ({ eventSubject: `copilot.${host}.${session}.event`, lifecycleSubject: `copilot.${host}.${session}.lifecycle` });
const types = (stored: readonly Sent[]) => stored.map((s) => (s.subject.endsWith('.event') ? 'event' : (JSON.parse(s.payload) as { type: string }).type));

describe('Outbox', () => {
  it('publishes every event once and in order, batching what arrives in one tick', async () => {
    const b = broker();
    const outbox = new Outbox(b.publish);
    for (let n = 0; n < 50; n++) outbox.pushEvent('s', lane, id(n), JSON.stringify({ id: id(n) }));
    expect(await outbox.drain(5_000)).toBe(0);
    expect(b.events()).toEqual(Array.from({ length: 50 }, (_, n) => id(n)));
    expect(b.stored.length).toBe(1);
    expect(outbox.stats).toMatchObject({ published: 50, batches: 1, pending: 0, dropped: 0 });
  });

  it('re-publishes a batch whose ack was lost under the same message id, so the broker keeps it once and in order', async () => {
    const b = broker();
    const outbox = new Outbox(b.publish, { retryDelayMs: 1, maxBatchEvents: 3 });
    b.failNext(4);
    for (let n = 0; n < 10; n++) outbox.pushEvent('s', lane, id(n), JSON.stringify({ id: id(n) }));
    expect(await outbox.drain(5_000)).toBe(0);
    expect(b.events()).toEqual(Array.from({ length: 10 }, (_, n) => id(n)));
    expect(outbox.stats.retries).toBe(4);
  });

  it('gives a single event its own id as the message id', async () => {
    const b = broker();
    const outbox = new Outbox(b.publish);
    outbox.pushEvent('s', lane, id(7), '{}');
    await outbox.drain(5_000);
    expect(b.stored[0]!.msgId).toBe(id(7));
  });

  it('at the bound drops new events, counts them, and reports the gap on the lifecycle subject once there is room', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const b = broker();
    const outbox = new Outbox(async (subject, payload, msgId) => {
      await gate;
      return b.publish(subject, payload, msgId);
    }, { maxPendingEvents: 3 });
    const kept = Array.from({ length: 6 }, (_, n) => outbox.pushEvent('s', lane, id(n), JSON.stringify({ id: id(n) })));
    expect(kept).toEqual([true, true, true, false, false, false]);
    expect(outbox.stats).toMatchObject({ pending: 3, dropped: 3 });
    release();
    expect(await outbox.drain(5_000)).toBe(0);
    expect(b.events()).toEqual([id(0), id(1), id(2)]);
    const gap = b.stored.find((s) => s.subject === lane.lifecycleSubject);
    expect(JSON.parse(gap!.payload)).toMatchObject({ type: 'events.dropped', count: 3, firstId: id(3), lastId: id(5) });
  });

  it("names in the gap's record the turns the host held at any of its drops, or none once one drop could not tell", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const b = broker();
    let turns: readonly string[] | undefined = ['t-1'];
    const asked: string[] = [];
    const outbox = new Outbox(
      async (subject, payload, msgId) => {
        await gate;
        return b.publish(subject, payload, msgId);
      },
      { maxPendingEvents: 1 },
      undefined,
      (laneKey) => (asked.push(laneKey), turns),
    );
    outbox.pushEvent('s', lane, id(0), '{}');
    outbox.pushEvent('s', lane, id(1), '{}');
    // A newer turn starts while the gap still grows: its events may be in it too.
    turns = ['t-2'];
    outbox.pushEvent('s', lane, id(2), '{}');
    outbox.pushEvent('t', laneOf('t'), id(3), '{}');
    turns = undefined;
    outbox.pushEvent('t', laneOf('t'), id(4), '{}');
    turns = [];
    outbox.pushEvent('t', laneOf('t'), id(5), '{}');
    expect(asked).toEqual(['s', 's', 't', 't', 't']);
    release();
    expect(await outbox.drain(5_000)).toBe(0);
    const gaps = b.stored.filter((s) => s.subject.endsWith('.lifecycle')).map((s) => JSON.parse(s.payload) as Record<string, unknown>);
    expect(gaps).toEqual([
      { type: 'events.dropped', count: 2, firstId: id(1), lastId: id(2), turnIds: ['t-1', 't-2'], at: expect.any(Number) },
      { type: 'events.dropped', count: 3, firstId: id(3), lastId: id(5), at: expect.any(Number) },
    ]);
  });

  it('names no turns in a gap when nothing tells it which (the default)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const b = broker();
    const outbox = new Outbox(async (subject, payload, msgId) => {
      await gate;
      return b.publish(subject, payload, msgId);
    }, { maxPendingEvents: 1 });
    outbox.pushEvent('s', lane, id(0), '{}');
    outbox.pushEvent('s', lane, id(1), '{}');
    release();
    await outbox.drain(5_000);
    const gap = JSON.parse(b.stored.find((s) => s.subject === lane.lifecycleSubject)!.payload) as Record<string, unknown>;
    expect('turnIds' in gap).toBe(false);
  });

  it('keeps lifecycle records in order with the events of their session', async () => {
    const b = broker();
    const outbox = new Outbox(b.publish);
    outbox.pushLifecycle('s', lane, { type: 'session.created', at: 1 });
    outbox.pushEvent('s', lane, id(1), JSON.stringify({ id: id(1) }));
    outbox.pushLifecycle('s', lane, { type: 'session.destroyed', at: 2 });
    await outbox.drain(5_000);
    expect(b.stored.map((s) => s.subject.split('.')[3])).toEqual(['lifecycle', 'event', 'lifecycle']);
  });

  it('drain gives up after its bound and says how many records still wait', async () => {
    const outbox = new Outbox(() => new Promise<void>(() => undefined));
    outbox.pushEvent('s', lane, id(1), '{}');
    outbox.pushEvent('s', lane, id(2), '{}');
    expect(await outbox.drain(20)).toBe(2);
    outbox.close();
  });

  it('keeps retrying while the broker is away, and a failing error reporter does not stop it', async () => {
    const b = broker();
    const outbox = new Outbox(b.publish, { retryDelayMs: 1 }, () => {
      throw new Error('reporter broke');
    });
    b.failNext(3);
    outbox.pushEvent('s', lane, id(1), JSON.stringify({ id: id(1) }));
    expect(await outbox.drain(5_000)).toBe(0);
    expect(b.events()).toEqual([id(1)]);
  });

  it('retries a batch whose publisher throws instead of rejecting, and still publishes the other sessions', async () => {
    const b = broker();
    let throws = 1;
    const outbox = new Outbox((subject, payload, msgId) => {
      if (subject.includes('.a.') && throws-- > 0) throw new Error('publisher broke');
      return b.publish(subject, payload, msgId);
    }, { retryDelayMs: 1 });
    outbox.pushEvent('a', laneOf('a'), id(1), JSON.stringify({ id: id(1) }));
    outbox.pushEvent('b', laneOf('b'), id(2), JSON.stringify({ id: id(2) }));
    expect(await outbox.drain(5_000)).toBe(0);
    expect(b.events().sort()).toEqual([id(1), id(2)]);
    expect(outbox.stats.retries).toBe(1);
  });

  it('publishes the ready batches of every session in one run, so the client writes them to its socket at once', async () => {
    const runs: string[][] = [];
    let run: string[] | undefined;
    const acks = gate();
    const outbox = new Outbox(async (subject) => {
      if (!run) {
        run = [];
        const current = run;
        // Whatever is published before the next microtask lands in the client's one write.
        queueMicrotask(() => {
          runs.push(current);
          run = undefined;
        });
      }
      run.push(subject.split('.')[2]!);
      await acks.wait();
    });
    for (const session of ['a', 'b', 'c']) outbox.pushEvent(session, laneOf(session), id(runs.length), '{}');
    await new Promise((resolve) => setImmediate(resolve));
    for (const session of ['a', 'b', 'c']) outbox.pushEvent(session, laneOf(session), id(9), '{}');
    acks.release();
    await new Promise((resolve) => setImmediate(resolve));
    acks.open();
    expect(await outbox.drain(5_000)).toBe(0);
    // The acks of a, b and c arrive together: their next batches go out together too.
    expect(runs).toEqual([['a', 'b', 'c'], ['a', 'b', 'c']]);
  });

  it('forms the batch after an ack at the end of that tick, so it also takes what arrived in the tick', async () => {
    const acks = gate();
    const sizes: number[] = [];
    const outbox = new Outbox(async (_subject, payload) => {
      await acks.wait();
      sizes.push((JSON.parse(payload) as { events: unknown[] }).events.length);
    });
    outbox.pushEvent('s', lane, id(1), '{}');
    await new Promise((resolve) => setImmediate(resolve));
    outbox.pushEvent('s', lane, id(2), '{}');
    await new Promise<void>((resolve) => {
      // The ack of the first batch and one more event arrive in the same tick (two reads of one poll).
      setImmediate(() => acks.open());
      setImmediate(() => {
        outbox.pushEvent('s', lane, id(3), '{}');
        resolve();
      });
    });
    expect(await outbox.drain(5_000)).toBe(0);
    expect(sizes).toEqual([1, 2]);
  });

  it("reports a session's gap once another session's ack makes room, though the session pushes nothing more", async () => {
    const acks = gate();
    const b = broker();
    const outbox = new Outbox(async (subject, payload, msgId) => {
      await acks.wait();
      return b.publish(subject, payload, msgId);
    }, { maxPendingEvents: 2 });
    outbox.pushEvent('busy', laneOf('busy'), id(1), JSON.stringify({ id: id(1) }));
    outbox.pushEvent('busy', laneOf('busy'), id(2), JSON.stringify({ id: id(2) }));
    expect(outbox.pushEvent('quiet', laneOf('quiet'), id(3), JSON.stringify({ id: id(3) }))).toBe(false);
    acks.open();
    expect(await outbox.drain(5_000)).toBe(0);
    const gap = b.stored.find((s) => s.subject === laneOf('quiet').lifecycleSubject);
    expect(JSON.parse(gap!.payload)).toMatchObject({ type: 'events.dropped', count: 1, firstId: id(3), lastId: id(3) });
  });

  it('gives lifecycle records message ids that differ between hosts for the same session id and time', async () => {
    const b = broker();
    for (const host of ['h1', 'h2']) {
      const outbox = new Outbox(b.publish);
      outbox.pushLifecycle('s', laneOf('s', host), { type: 'session.created', at: 1 });
      await outbox.drain(5_000);
    }
    expect(b.stored.map((s) => s.subject)).toEqual([laneOf('s', 'h1').lifecycleSubject, laneOf('s', 'h2').lifecycleSubject]);
  });

  describe('retireLane', () => {
    it('lets an idle lane go at once, and ignores a key it does not know', async () => {
      const b = broker();
      const outbox = new Outbox(b.publish);
      outbox.pushLifecycle('s', lane, { type: 'session.created', at: 1 });
      await outbox.drain(5_000);
      expect(outbox.stats.lanes).toBe(1);
      outbox.retireLane('unknown');
      outbox.retireLane('s');
      expect(outbox.stats.lanes).toBe(0);
    });

    it('keeps the lane until everything queued in it is acknowledged, in order', async () => {
      const acks = gate();
      const b = broker();
      const outbox = new Outbox(async (subject, payload, msgId) => {
        await acks.wait();
        return b.publish(subject, payload, msgId);
      });
      outbox.pushEvent('s', lane, id(1), JSON.stringify({ id: id(1) }));
      outbox.pushLifecycle('s', lane, { type: 'session.destroyed', at: 2 });
      outbox.retireLane('s');
      await new Promise((resolve) => setImmediate(resolve));
      expect(outbox.stats.lanes).toBe(1);
      acks.release();
      await new Promise((resolve) => setImmediate(resolve));
      // The event is acknowledged; the destroyed record is in flight.
      expect(outbox.stats.lanes).toBe(1);
      acks.open();
      expect(await outbox.drain(5_000)).toBe(0);
      expect(types(b.stored)).toEqual(['event', 'session.destroyed']);
      expect(outbox.stats.lanes).toBe(0);
    });

    it('publishes a record pushed while the retired lane drains, in order, and still lets the lane go', async () => {
      const b = broker();
      const outbox = new Outbox(b.publish);
      outbox.pushLifecycle('s', lane, { type: 'session.destroyed', at: 1 });
      outbox.retireLane('s');
      outbox.pushEvent('s', lane, id(1), JSON.stringify({ id: id(1) }));
      expect(await outbox.drain(5_000)).toBe(0);
      expect(types(b.stored)).toEqual(['session.destroyed', 'event']);
      expect(outbox.stats.lanes).toBe(0);
    });

    it('opens a fresh lane for a record pushed after the lane went, whose message ids cannot repeat the old ones', async () => {
      const b = broker();
      const outbox = new Outbox(b.publish);
      outbox.pushLifecycle('s', lane, { type: 'session.destroyed', at: 7 });
      outbox.retireLane('s');
      await outbox.drain(5_000);
      expect(outbox.stats.lanes).toBe(0);
      // Same session, same time, and the new lane's first record: the broker must still keep it.
      outbox.pushLifecycle('s', lane, { type: 'session.destroyed', at: 7 });
      expect(await outbox.drain(5_000)).toBe(0);
      expect(types(b.stored)).toEqual(['session.destroyed', 'session.destroyed']);
      expect(outbox.stats.lanes).toBe(1);
    });

    it('keeps a retired lane whose events were dropped until its gap is reported', async () => {
      const acks = gate();
      const b = broker();
      const outbox = new Outbox(async (subject, payload, msgId) => {
        await acks.wait();
        return b.publish(subject, payload, msgId);
      }, { maxPendingEvents: 1 });
      outbox.pushEvent('other', laneOf('other'), id(1), JSON.stringify({ id: id(1) }));
      outbox.pushEvent('s', lane, id(2), JSON.stringify({ id: id(2) }));
      outbox.retireLane('s');
      expect(outbox.stats.lanes).toBe(2);
      acks.open();
      expect(await outbox.drain(5_000)).toBe(0);
      expect(types(b.stored.filter((s) => s.subject.startsWith('copilot.h.s.')))).toEqual(['events.dropped']);
      expect(outbox.stats.lanes).toBe(1);
    });
  });
  describe('message size', () => {
    /** An event whose JSON is mostly `count` euro signs: 3 UTF-8 bytes a character. */
    const euros = (n: number, count: number) => JSON.stringify({ id: id(n), text: '€'.repeat(count) });

    it('keeps a batch of non-ASCII text under maxBatchBytes and the broker’s limit in UTF-8 bytes, not characters', async () => {
      const b = broker(1024 ** 2);
      const refused: unknown[] = [];
      const outbox = new Outbox(b.publish, { retryDelayMs: 1 }, (error) => refused.push(error));
      // 5 × 100,000 characters fit 512 K characters, but they are 1.5 MB: over the broker's 1 MiB.
      for (let n = 0; n < 5; n++) outbox.pushEvent('s', lane, id(n), euros(n, 100_000));
      expect(await outbox.drain(5_000)).toBe(0);
      expect(b.events()).toEqual([id(0), id(1), id(2), id(3), id(4)]);
      expect(refused).toEqual([]);
      for (const sent of b.stored) expect(Buffer.byteLength(sent.payload)).toBeLessThanOrEqual(512 * 1024);
    });

    it('fills a batch of ASCII text up to maxBatchBytes exactly, not to a third of it', async () => {
      const b = broker();
      const outbox = new Outbox(b.publish, { maxBatchBytes: 10_000 });
      // 30 events of ~1,050 bytes: 9 fit 10,000 bytes with the envelope and commas, the 10th does not.
      for (let n = 0; n < 30; n++) outbox.pushEvent('s', lane, id(n), JSON.stringify({ id: id(n), text: 'a'.repeat(1_000) }));
      expect(await outbox.drain(5_000)).toBe(0);
      expect(b.stored.map((s) => (JSON.parse(s.payload) as { events: unknown[] }).events.length)).toEqual([9, 9, 9, 3]);
      for (const sent of b.stored) expect(Buffer.byteLength(sent.payload)).toBeLessThanOrEqual(10_000);
    });

    it('does not queue an event that alone is over maxMessageBytes: it is dropped, reported, and its gap takes its place', async () => {
      const b = broker(1024 ** 2);
      const reports: unknown[] = [];
      const outbox = new Outbox(b.publish, { retryDelayMs: 1 }, (error) => reports.push(error));
      outbox.pushEvent('s', lane, id(1), JSON.stringify({ id: id(1) }));
      // 400,000 characters, under 512 K, but 1.2 MB of UTF-8: no message of the broker carries it.
      expect(outbox.pushEvent('s', lane, id(2), euros(2, 400_000))).toBe(false);
      outbox.pushEvent('s', lane, id(3), JSON.stringify({ id: id(3) }));
      expect(await outbox.drain(5_000)).toBe(0);
      expect(types(b.stored)).toEqual(['event', 'events.dropped', 'event']);
      expect(b.events()).toEqual([id(1), id(3)]);
      expect(JSON.parse(b.stored[1]!.payload)).toMatchObject({ type: 'events.dropped', count: 1, firstId: id(2), lastId: id(2) });
      expect(outbox.stats).toMatchObject({ dropped: 1, published: 2, retries: 0, pending: 0 });
      expect(reports).toHaveLength(1);
      const error = reports[0] as FleetMessageTooLargeError;
      expect(error).toBeInstanceOf(FleetMessageTooLargeError);
      expect(error).toMatchObject({ code: 'FLEET_MESSAGE_TOO_LARGE', sessionId: 's', eventId: id(2), limitBytes: 1024 ** 2, refusedBy: 'outbox' });
      expect(error.bytes).toBeGreaterThan(1_200_000);
      expect(error.message).toMatch(new RegExp(`${id(2)}.* of session s is ${error.bytes} bytes .*over the largest the broker takes \\(1048576 bytes`));
    });

    it('counts the headers and the envelope against maxMessageBytes', async () => {
      const b = broker(4_096);
      const reports: unknown[] = [];
      const outbox = new Outbox(b.publish, { maxMessageBytes: 4_096, retryDelayMs: 1 }, (error) => reports.push(error));
      const withPayload = (n: number, bytes: number) => {
        const json = JSON.stringify({ id: id(n), text: '' });
        return JSON.stringify({ id: id(n), text: 'x'.repeat(bytes - json.length) });
      };
      // A message is the envelope (19 bytes), the event and the headers (27 bytes and the id's 36).
      expect(outbox.pushEvent('s', lane, id(1), withPayload(1, 4_096 - 19 - 27 - 36))).toBe(true);
      expect(outbox.pushEvent('s', lane, id(2), withPayload(2, 4_096 - 19 - 27 - 36 + 1))).toBe(false);
      expect(await outbox.drain(5_000)).toBe(0);
      expect(b.events()).toEqual([id(1)]);
      expect(reports).toEqual([expect.objectContaining({ eventId: id(2), bytes: 4_097 })]);
    });

    it('reports a lifecycle record too large to publish instead of queueing it, and publishes the rest', async () => {
      const b = broker(1024 ** 2);
      const reports: unknown[] = [];
      const outbox = new Outbox(b.publish, { retryDelayMs: 1 }, (error) => reports.push(error));
      outbox.pushLifecycle('s', lane, { type: 'user_input.requested', requestId: 'r1', question: '€'.repeat(400_000), choices: [], at: 1 });
      outbox.pushLifecycle('s', lane, { type: 'session.idle', at: 2 });
      expect(await outbox.drain(5_000)).toBe(0);
      expect(types(b.stored)).toEqual(['session.idle']);
      expect(reports).toEqual([expect.objectContaining({ code: 'FLEET_MESSAGE_TOO_LARGE', sessionId: 's', eventId: undefined, recordType: 'user_input.requested' })]);
    });

    describe('the broker refusing a message as too large (its limit is below the outbox’s)', () => {
      it('sends a refused batch again in halves until each part fits, every event once and in order', async () => {
        const b = broker(8 * 1024);
        const reports: unknown[] = [];
        const outbox = new Outbox(b.publish, { retryDelayMs: 1 }, (error) => reports.push(error));
        const event = (n: number) => JSON.stringify({ id: id(n), text: 'a'.repeat(1_000) });
        for (let n = 0; n < 40; n++) outbox.pushEvent('s', lane, id(n), event(n));
        expect(await outbox.drain(5_000)).toBe(0);
        expect(b.events()).toEqual(Array.from({ length: 40 }, (_, n) => id(n)));
        expect(outbox.stats).toMatchObject({ published: 40, dropped: 0, retries: 0, pending: 0 });
        // Refused at 40 events, at 20, at 10: then everything goes in batches under 5 KB.
        expect(reports).toHaveLength(3);
        for (const report of reports) expect(report).toBeInstanceOf(JetStreamApiError);
        // Later batches stay under the halved size without being refused again.
        for (let n = 40; n < 60; n++) outbox.pushEvent('s', lane, id(n), event(n));
        expect(await outbox.drain(5_000)).toBe(0);
        expect(reports).toHaveLength(3);
        expect(b.events()).toHaveLength(60);
      });

      it('drops a single event it refuses, with its gap in its place, reports it, and publishes what follows', async () => {
        const b = broker(4 * 1024);
        const reports: unknown[] = [];
        const outbox = new Outbox(b.publish, { retryDelayMs: 1 }, (error) => reports.push(error));
        outbox.pushEvent('s', lane, id(1), JSON.stringify({ id: id(1) }));
        outbox.pushEvent('s', lane, id(2), JSON.stringify({ id: id(2), text: 'a'.repeat(6_000) }));
        outbox.pushEvent('s', lane, id(3), JSON.stringify({ id: id(3) }));
        expect(await outbox.drain(5_000)).toBe(0);
        expect(types(b.stored)).toEqual(['event', 'events.dropped', 'event']);
        expect(b.events()).toEqual([id(1), id(3)]);
        expect(JSON.parse(b.stored[1]!.payload)).toMatchObject({ type: 'events.dropped', count: 1, firstId: id(2), lastId: id(2) });
        expect(outbox.stats).toMatchObject({ dropped: 1, published: 2, pending: 0 });
        const dropped = reports.find((report) => report instanceof FleetMessageTooLargeError) as FleetMessageTooLargeError;
        expect(dropped).toMatchObject({ sessionId: 's', eventId: id(2), refusedBy: 'broker' });
        expect(dropped.cause).toBeInstanceOf(JetStreamApiError);
        expect(dropped.message).toMatch(/message size exceeds maximum allowed/);
      });

      it('drops a lifecycle record it refuses, reports it, and publishes what follows', async () => {
        const b = broker(1_024);
        const reports: unknown[] = [];
        const outbox = new Outbox(b.publish, { retryDelayMs: 1 }, (error) => reports.push(error));
        outbox.pushLifecycle('s', lane, { type: 'user_input.requested', requestId: 'r1', question: 'q'.repeat(2_000), choices: [], at: 1 });
        outbox.pushEvent('s', lane, id(1), JSON.stringify({ id: id(1) }));
        expect(await outbox.drain(5_000)).toBe(0);
        expect(types(b.stored)).toEqual(['event']);
        expect(reports).toEqual([expect.objectContaining({ recordType: 'user_input.requested', eventId: undefined, refusedBy: 'broker' })]);
      });

      it('still retries every other failure', async () => {
        const b = broker(4 * 1024);
        const outbox = new Outbox(b.publish, { retryDelayMs: 1 });
        b.failNext(2);
        outbox.pushEvent('s', lane, id(1), JSON.stringify({ id: id(1) }));
        expect(await outbox.drain(5_000)).toBe(0);
        expect(b.events()).toEqual([id(1)]);
        expect(outbox.stats).toMatchObject({ retries: 2, dropped: 0 });
      });
    });
  });
});

describe('Outbox config', () => {
  it.each(['maxMessageBytes', 'maxBatchBytes', 'maxBatchEvents', 'maxPendingEvents', 'retryDelayMs'] as const)('refuses a %s that is not a positive finite number, naming the option and the value', (option) => {
    const bad: [unknown, string][] = [[NaN, 'NaN'], [0, '0'], [-1, '-1'], [Infinity, 'Infinity'], ['5', '"5"'], [null, 'null']];
    for (const [value, quoted] of bad) {
      expect(() => new Outbox(broker().publish, { [option]: value as number })).toThrow(new RangeError(`OutboxConfig.${option} must be a positive finite number. Got ${quoted}`));
    }
  });

  it('takes the default for an option given as undefined, so the bound stays on', async () => {
    const b = broker();
    const reported: unknown[] = [];
    const outbox = new Outbox(b.publish, { maxMessageBytes: undefined, maxPendingEvents: undefined }, (error) => reported.push(error));
    expect(outbox.pushEvent('h.s', lane, id(1), JSON.stringify({ id: id(1), data: 'x'.repeat(1024 ** 2) }))).toBe(false);
    expect(reported).toEqual([expect.any(FleetMessageTooLargeError)]);
    expect(outbox.pushEvent('h.s', lane, id(2), JSON.stringify({ id: id(2) }))).toBe(true);
    await outbox.drain(5_000);
    expect(b.events()).toEqual([id(2)]);
  });

  it("gives a host's outbox the broker's limit unless the user set one, an explicit undefined included", () => {
    expect(hostOutboxConfig({ maxMessageBytes: undefined, maxBatchEvents: 10 }, 64 * 1024)).toEqual({ maxMessageBytes: 64 * 1024, maxBatchEvents: 10 });
    expect(hostOutboxConfig(undefined, 64 * 1024)).toEqual({ maxMessageBytes: 64 * 1024 });
    expect(hostOutboxConfig({ maxMessageBytes: 4096 }, 64 * 1024)).toEqual({ maxMessageBytes: 4096 });
  });
});
