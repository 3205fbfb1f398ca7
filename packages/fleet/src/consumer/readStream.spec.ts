import { VirtualTimeScheduler } from 'rxjs';
import { JetStreamApiError, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { readStream } from './readStream';

const missing = () => new JetStreamApiError({ code: 404, err_code: 10059, description: 'stream not found' });
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A JetStream client whose stream is missing for the first `absentFor` looks; `fail` replaces that answer. */
function fakeJs(absentFor: number, fail?: Error) {
  let looks = 0;
  let deliver: ((msg: JsMsg) => void) | undefined;
  const stopped: string[] = [];
  const consumer = {
    consume: async ({ callback }: { callback: (msg: JsMsg) => void }) => {
      deliver = callback;
      return { stop: () => void stopped.push('consumer') };
    },
    info: async () => ({ num_pending: 0 }),
  };
  const js = {
    consumers: {
      get: async () => {
        looks++;
        if (fail) throw fail;
        if (looks <= absentFor) throw missing();
        return consumer;
      },
    },
  } as unknown as JetStreamClient;
  return { js, looks: () => looks, deliver: (subject: string) => deliver?.({ subject } as JsMsg), stopped };
}

function read(fake: ReturnType<typeof fakeJs>, mustExist?: boolean) {
  const scheduler = new VirtualTimeScheduler();
  const seen: string[] = [];
  const errors: unknown[] = [];
  let ready = 0;
  const subscription = readStream(fake.js, { filter: 'copilot.*.*.event', deliver: 'all', onReady: () => ready++, wait: { retryMs: 1_000, scheduler }, mustExist }).subscribe({
    next: (msg) => seen.push(msg.subject),
    error: (error) => errors.push(error),
  });
  const advance = async (to: number) => {
    scheduler.maxFrames = to;
    scheduler.flush();
    await settle();
  };
  return { scheduler, seen, errors, subscription, advance, ready: () => ready };
}

describe('readStream', () => {
  it('waits for a stream that does not exist yet, looking again every retryMs, then reads', async () => {
    const fake = fakeJs(2);
    const r = read(fake);
    await settle();
    expect(fake.looks()).toBe(1);
    await r.advance(999);
    expect(fake.looks()).toBe(1);
    await r.advance(1_000);
    expect(fake.looks()).toBe(2);
    expect(r.ready()).toBe(0);
    await r.advance(2_000);
    expect(fake.looks()).toBe(3);
    expect(r.ready()).toBe(1);
    fake.deliver('copilot.h.s.event');
    expect(r.seen).toEqual(['copilot.h.s.event']);
    expect(r.errors).toEqual([]);
    r.subscription.unsubscribe();
    expect(fake.stopped).toEqual(['consumer']);
  });

  it('stops waiting when unsubscribed', async () => {
    const fake = fakeJs(Infinity);
    const r = read(fake);
    await settle();
    r.subscription.unsubscribe();
    await r.advance(10_000);
    expect(fake.looks()).toBe(1);
    expect(r.scheduler.actions.filter((action) => !action.closed)).toHaveLength(0);
  });

  it('errors at once on any other error, such as a permission the broker refused', async () => {
    const refused = new Error('Permissions Violation for Publish to "$JS.API.STREAM.INFO.COPILOT_FLEET"');
    const fake = fakeJs(0, refused);
    const r = read(fake);
    await settle();
    expect(r.errors).toEqual([refused]);
    await r.advance(10_000);
    expect(fake.looks()).toBe(1);
  });

  it('errors at once, without waiting, on a stream that does not exist when it must exist (a read that must find an event id)', async () => {
    const fake = fakeJs(Infinity);
    const r = read(fake, true);
    await settle();
    expect(r.errors).toEqual([expect.objectContaining({ code: 10059 })]);
    await r.advance(10_000);
    expect(fake.looks()).toBe(1);
  });

  it.each([false, true])('looks again when the broker does not answer the opening in time (its JetStream restarting), and then reads (mustExist: %s)', async (mustExist) => {
    let looks = 0;
    const fake = fakeJs(0);
    const get = fake.js.consumers.get.bind(fake.js.consumers);
    (fake.js.consumers as { get: typeof get }).get = async (...args: Parameters<typeof get>) => {
      if (++looks === 1) throw Object.assign(new Error('timeout'), { name: 'TimeoutError' });
      return get(...args);
    };
    const r = read(fake, mustExist);
    await settle();
    expect(r.errors).toEqual([]);
    expect(r.ready()).toBe(0);
    await r.advance(1_000);
    expect(looks).toBe(2);
    expect(r.ready()).toBe(1);
  });
});
