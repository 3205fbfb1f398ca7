import { Outbox, type Publisher } from './Outbox';

const lane = { eventSubject: 'copilot.h.s.event', lifecycleSubject: 'copilot.h.s.lifecycle' };
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface Sent {
  readonly subject: string;
  readonly msgId: string;
  readonly payload: string;
}

/** A broker stand-in: stores by message id like JetStream's duplicate window, acks on demand. */
function broker() {
  const stored: Sent[] = [];
  const ids = new Set<string>();
  let fail = 0;
  const publish: Publisher = async (subject, payload, msgId) => {
    await new Promise((resolve) => setImmediate(resolve));
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
});
