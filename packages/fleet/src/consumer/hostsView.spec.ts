import { take, VirtualTimeScheduler } from 'rxjs';
import { JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { FleetDecodeError } from '../errors';
import { hostsView, type HostStatus } from './hostsView';

interface FakeEntry {
  key: string;
  operation: 'PUT' | 'DEL';
  created: Date;
  isUpdate: boolean;
  delta: number;
  value?: unknown;
}

/** A KV bucket stand-in: `status()` counts the initial records, `watch()` yields what the test pushes. */
function fakeKv(initial: FakeEntry[]) {
  const queue: FakeEntry[] = [...initial];
  let wake: (() => void) | undefined;
  let stopped = false;
  const watch = {
    stop: () => {
      stopped = true;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      while (!stopped) {
        const next = queue.shift();
        if (next) {
          yield { ...next, json: () => next.value, string: () => JSON.stringify(next.value) };
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
  const kv = { status: async () => ({ values: initial.length }), watch: async () => watch } as unknown as KV;
  return {
    kv,
    push: (entry: FakeEntry) => {
      queue.push(entry);
      wake?.();
    },
  };
}

const record = (host: string, ttlMs = 1_000) => ({ host, pid: 1, startedAt: 0, heartbeatAt: 0, ttlMs, cliVersions: ['1.0.102'], sessions: 2, outbox: { pending: 0, dropped: 0 } });
const put = (key: string, at: number, extra: Partial<FakeEntry> = {}): FakeEntry => ({ key, operation: 'PUT', created: new Date(at), isUpdate: true, delta: 0, value: record(key), ...extra });
const settle = () => new Promise((resolve) => setImmediate(resolve));

function harness(initial: FakeEntry[]) {
  const scheduler = new VirtualTimeScheduler();
  const kv = fakeKv(initial);
  const lists: (readonly HostStatus[])[] = [];
  const failures: FleetDecodeError[] = [];
  const subscription = hostsView(async () => kv.kv, scheduler, (error) => failures.push(error)).subscribe((list) => lists.push(list));
  return { scheduler, kv, lists, failures, subscription, last: () => lists.at(-1)! };
}

describe('hostsView', () => {
  it('emits its first list only once the current records are read', async () => {
    const h = harness([put('b', 0, { isUpdate: false, delta: 1 }), put('a', 0, { isUpdate: false, delta: 0 })]);
    await settle();
    expect(h.lists).toHaveLength(1);
    expect(h.last().map((s) => [s.host, s.up, s.sessions])).toEqual([['a', true, 2], ['b', true, 2]]);
    h.subscription.unsubscribe();
  });

  it("carries the host process's instance id, and still lists a host whose record has none (an older host)", async () => {
    const h = harness([put('a', 0, { isUpdate: false, delta: 1, value: { ...record('a'), instance: 'p1' } }), put('b', 0, { isUpdate: false, delta: 0 })]);
    await settle();
    expect(h.failures).toEqual([]);
    expect(h.last().map((s) => [s.host, s.up, s.instance])).toEqual([['a', true, 'p1'], ['b', true, undefined]]);
    expect('instance' in h.last()[1]!).toBe(false);
    h.subscription.unsubscribe();
  });

  it('emits an empty list at once for an empty bucket', async () => {
    const h = harness([]);
    await settle();
    expect(h.lists).toEqual([[]]);
    h.subscription.unsubscribe();
  });

  it('marks a host down when its TTL passes, counting from the broker timestamp of its record', async () => {
    // A record already 400 ms old when read: 600 ms left of its 1 000 ms TTL.
    const h = harness([put('a', -400, { isUpdate: false })]);
    await settle();
    expect(h.last()).toEqual([expect.objectContaining({ host: 'a', up: true })]);
    h.scheduler.flush();
    expect(h.scheduler.now()).toBe(600);
    expect(h.last()).toEqual([expect.objectContaining({ host: 'a', up: false, downReason: 'expired', lastSeen: -400 })]);
    h.subscription.unsubscribe();
  });

  it('re-arms the deadline on every heartbeat', async () => {
    const h = harness([put('a', -400, { isUpdate: false })]);
    await settle();
    h.kv.push(put('a', 0));
    await settle();
    h.scheduler.flush();
    expect(h.scheduler.now()).toBe(1_000);
    expect(h.lists.map((list) => list[0]!.up)).toEqual([true, true, false]);
    h.subscription.unsubscribe();
  });

  it('marks a host down at once when it deleted its record (a clean stop)', async () => {
    const h = harness([put('a', 0, { isUpdate: false })]);
    await settle();
    h.kv.push({ key: 'a', operation: 'DEL', created: new Date(10), isUpdate: true, delta: 0 });
    await settle();
    expect(h.last()).toEqual([expect.objectContaining({ host: 'a', up: false, downReason: 'stopped' })]);
    h.subscription.unsubscribe();
  });

  it('reports a record that does not decode and goes on', async () => {
    const h = harness([put('a', 0, { isUpdate: false })]);
    await settle();
    h.kv.push({ ...put('evil', 5), value: { host: 'evil', ttlMs: 'soon' } });
    h.kv.push(put('b', 6));
    await settle();
    expect(h.failures).toHaveLength(1);
    expect(h.failures[0]!.subject).toBe('$KV.copilot_hosts.evil');
    expect(h.last().map((s) => s.host)).toEqual(['a', 'b']);
    h.subscription.unsubscribe();
  });

  it('does not list a host whose key no subject takes (session(host, id) would refuse it), and reports it', async () => {
    const h = harness([put('a', 0, { isUpdate: false, delta: 1 }), put('we!rd', 0, { isUpdate: false, delta: 0 })]);
    await settle();
    expect(h.last().map((s) => s.host)).toEqual(['a']);
    expect(h.failures.map((failure) => failure.subject)).toEqual(['$KV.copilot_hosts.we!rd']);
    expect(h.failures[0]!.message).toContain('not a host name');
  });

  it('clears its expiry timers when unsubscribed', async () => {
    const h = harness([put('a', 0, { isUpdate: false })]);
    await settle();
    h.subscription.unsubscribe();
    expect(h.scheduler.actions.filter((action) => !action.closed)).toHaveLength(0);
  });

  describe('before any host created the bucket', () => {
    const missing = () => new JetStreamApiError({ code: 404, err_code: 10059, description: 'stream not found' });

    /** A bucket that does not exist for the first `absentFor` looks, then holds `initial`. */
    function late(absentFor: number, initial: FakeEntry[]) {
      const scheduler = new VirtualTimeScheduler();
      const kv = fakeKv(initial);
      let looks = 0;
      const lists: (readonly HostStatus[])[] = [];
      const errors: unknown[] = [];
      const openKv = async () => {
        looks++;
        if (looks <= absentFor) throw missing();
        return kv.kv;
      };
      const subscription = hostsView(openKv, scheduler, () => undefined, 1_000).subscribe({ next: (list) => lists.push(list), error: (error) => errors.push(error) });
      /** Runs the scheduler up to `ms` and lets the promises of the looks settle. */
      const advance = async (ms: number) => {
        scheduler.maxFrames = ms;
        scheduler.flush();
        await settle();
      };
      return { lists, errors, subscription, advance, looks: () => looks, scheduler };
    }

    it('emits [] at once, looks again every retryMs, and lists the hosts once the bucket exists', async () => {
      const h = late(2, [put('a', 2_000, { isUpdate: false })]);
      await settle();
      expect(h.lists).toEqual([[]]);
      expect(h.looks()).toBe(1);
      await h.advance(999);
      expect(h.looks()).toBe(1);
      await h.advance(1_000);
      expect(h.looks()).toBe(2);
      await h.advance(2_000);
      expect(h.looks()).toBe(3);
      expect(h.lists.at(-1)!.map((s) => [s.host, s.up])).toEqual([['a', true]]);
      expect(h.errors).toEqual([]);
      h.subscription.unsubscribe();
    });

    it('stops looking when unsubscribed', async () => {
      const h = late(Infinity, []);
      await settle();
      h.subscription.unsubscribe();
      await h.advance(10_000);
      expect(h.looks()).toBe(1);
      expect(h.scheduler.actions.filter((action) => !action.closed)).toHaveLength(0);
    });

    it('stops looking when the subscriber leaves on the first, empty list', async () => {
      const scheduler = new VirtualTimeScheduler();
      let looks = 0;
      const lists: unknown[] = [];
      hostsView(
        async () => {
          looks++;
          throw missing();
        },
        scheduler,
        () => undefined,
      )
        .pipe(take(1))
        .subscribe((list) => lists.push(list));
      await settle();
      expect(lists).toEqual([[]]);
      scheduler.flush();
      await settle();
      expect(looks).toBe(1);
      expect(scheduler.actions.filter((action) => !action.closed)).toHaveLength(0);
    });

    it("looks again, keeping no list back, when the broker does not answer in time (right after a restart): the first list is the load bound's empty one at 2 s, then the hosts", async () => {
      const scheduler = new VirtualTimeScheduler();
      const kv = fakeKv([put('a', 2_000, { isUpdate: false })]);
      let looks = 0;
      const lists: (readonly HostStatus[])[] = [];
      const errors: unknown[] = [];
      const timedOut = Object.assign(new Error('timeout'), { name: 'TimeoutError' });
      hostsView(
        async () => {
          if (++looks <= 2) throw timedOut;
          return kv.kv;
        },
        scheduler,
        () => undefined,
        1_000,
      ).subscribe({ next: (list) => lists.push(list), error: (error) => errors.push(error) });
      const hostsOf = () => lists.map((list) => list.map((s) => s.host));
      await settle();
      // Not the empty list of a missing bucket: the hosts are not gone, the broker is slow.
      expect(lists).toEqual([]);
      scheduler.maxFrames = 1_000;
      scheduler.flush();
      await settle();
      expect(looks).toBe(2);
      expect(lists).toEqual([]);
      scheduler.maxFrames = 2_000;
      scheduler.flush();
      await settle();
      expect(looks).toBe(3);
      expect(hostsOf()).toEqual([[], ['a']]);
      expect(errors).toEqual([]);
    });

    it('errors, without waiting, on any other error', async () => {
      const scheduler = new VirtualTimeScheduler();
      const refused = Object.assign(new Error('Permissions Violation for Publish to "$JS.API.STREAM.INFO.KV_copilot_hosts"'), { code: 'PERMISSIONS_VIOLATION' });
      const errors: unknown[] = [];
      const lists: unknown[] = [];
      hostsView(() => Promise.reject(refused), scheduler, () => undefined).subscribe({ next: (list) => lists.push(list), error: (error) => errors.push(error) });
      await settle();
      expect(errors).toEqual([refused]);
      expect(lists).toEqual([]);
    });
  });
});
