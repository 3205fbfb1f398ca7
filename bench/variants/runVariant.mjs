/**
 * What every variant process does, whatever the client library: connect to the replay server, open
 * sessions, then measure one thing (`mode`) and report it to the harness over IPC, then exit.
 * One process per run, so no run inherits another's JIT state, heap or garbage.
 *
 * A variant supplies a driver:
 *   connect(port)                         open the connection and shake hands
 *   createSessions(ids, onEvent, onError) open sessions; call onEvent(event) per delivered session
 *                                         event, onError() per event that failed to decode
 *   send(sessionId, prompt)               send session.send (the prompt tells the server what to write)
 *   close()                               release everything
 *
 * Modes:
 *   throughput      warm-up flood (unmeasured), then the flood: events/s, heap peak while reading,
 *                   and the heap still live after it (forced GC)
 *   idle-sessions   heap per idle session, after a forced GC on both sides of opening `count` sessions
 *   latency         paced events: server write → subscriber, p50/p99
 */
import v8 from 'node:v8';
import { benchSessionId } from '../lib/recording.mjs';

const BATCH = 256;

export async function runVariant(driver) {
  const config = JSON.parse(process.argv[2]);
  try {
    await driver.connect(config.port);
    const result = await MODES[config.mode](driver, config);
    await Promise.race([driver.close(), new Promise((resolve) => setTimeout(resolve, 2000))]);
    process.send({ type: 'result', result });
  } catch (error) {
    process.send({ type: 'error', error: String(error?.stack ?? error) });
  }
  process.disconnect();
  setTimeout(() => process.exit(0), 100).unref();
}

const MODES = {
  async throughput(driver, { sessions, warmupEvents, floodEvents }) {
    const counter = new Counter();
    const ids = Array.from({ length: sessions }, (_, i) => benchSessionId(i));
    await createInBatches(driver, ids, counter.onEvent, counter.onError);

    await counter.expect(warmupEvents, () => driver.send(ids[0], 'warmup'));
    gc();
    const baseline = heapUsed();
    const sampler = new PeakSampler();
    const t0 = performance.now();
    await counter.expect(floodEvents, () => driver.send(ids[0], 'flood'));
    const seconds = (performance.now() - t0) / 1000;
    sampler.stop();
    gc();
    const retained = heapUsed();
    return {
      events: floodEvents,
      seconds,
      eventsPerSec: floodEvents / seconds,
      nsPerEvent: (seconds * 1e9) / floodEvents,
      decodeErrors: counter.errors,
      baselineHeapMB: baseline / 2 ** 20,
      peakHeapMB: sampler.peakHeap / 2 ** 20,
      peakHeapGrowthMB: (sampler.peakHeap - baseline) / 2 ** 20,
      retainedHeapGrowthMB: (retained - baseline) / 2 ** 20,
      peakRssMB: sampler.peakRss / 2 ** 20,
    };
  },

  async 'idle-sessions'(driver, { count }) {
    const noop = () => undefined;
    // One session first, so code paths and lazily built tables are not counted per session.
    await createInBatches(driver, [benchSessionId(count)], noop, noop);
    gc();
    const before = heapUsed();
    await createInBatches(driver, Array.from({ length: count }, (_, i) => benchSessionId(i)), noop, noop);
    gc();
    const after = heapUsed();
    return { sessions: count, bytesPerSession: (after - before) / count };
  },

  async latency(driver, { pacedEvents, pacedWarmupEvents }) {
    const samples = new Float64Array(pacedEvents);
    let n = 0;
    let measuring = false;
    const counter = new Counter((event) => {
      if (!measuring) return;
      const stamp = event.id.slice(event.id.indexOf('-') + 1);
      samples[n++] = Number(process.hrtime.bigint() - BigInt(stamp)) / 1e6;
    });
    const id = benchSessionId(0);
    await createInBatches(driver, [id], counter.onEvent, counter.onError);
    await counter.expect(pacedWarmupEvents, () => driver.send(id, 'paced-warmup'));
    measuring = true;
    await counter.expect(pacedEvents, () => driver.send(id, 'paced'));
    const sorted = samples.subarray(0, n).sort();
    const at = (q) => sorted[Math.min(n - 1, Math.floor(q * n))];
    return { events: n, p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: sorted[n - 1] };
  },
};

/** Counts delivered events (and decode failures) and resolves when a target is reached. */
class Counter {
  count = 0;
  errors = 0;
  #target = Infinity;
  #done = () => undefined;

  constructor(each) {
    this.onEvent = each
      ? (event) => {
          each(event);
          if (++this.count === this.#target) this.#done();
        }
      : () => {
          if (++this.count === this.#target) this.#done();
        };
    this.onError = () => {
      this.errors++;
      if (++this.count === this.#target) this.#done();
    };
  }

  /** Resets the count, runs `trigger`, resolves once `target` more events arrived. */
  expect(target, trigger) {
    this.count = 0;
    this.#target = target;
    const reached = new Promise((resolve) => (this.#done = resolve));
    return Promise.all([trigger(), reached]);
  }
}

/** Samples the heap and RSS every 20 ms while a flood is read (timers run between socket chunks). */
class PeakSampler {
  peakHeap = heapUsed();
  peakRss = process.memoryUsage.rss();
  #timer = setInterval(() => {
    this.peakHeap = Math.max(this.peakHeap, heapUsed());
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
  }, 20);

  stop() {
    clearInterval(this.#timer);
    this.peakHeap = Math.max(this.peakHeap, heapUsed());
  }
}

async function createInBatches(driver, ids, onEvent, onError) {
  for (let i = 0; i < ids.length; i += BATCH) await driver.createSessions(ids.slice(i, i + BATCH), onEvent, onError);
}

function heapUsed() {
  return v8.getHeapStatistics().used_heap_size;
}

function gc() {
  if (typeof globalThis.gc !== 'function') throw new Error('run variants with --expose-gc');
  globalThis.gc();
  globalThis.gc();
}
