/**
 * 8. The fleet over NATS JetStream (Debian's nats-server, 127.0.0.1): the host's publish rate (batched
 * per session per tick vs one message an event vs the raw JetStream anchor of the same run, with the
 * host's CPU per event and the machine's load at the time), the consumer's rebuild rate against a raw JetStream
 * consumer reading the same stored bytes, end-to-end latency at 1k and 10k events/s, and a simulated
 * fleet of 50 hosts × 20 sessions (in 5 processes) into one consumer. Events are the recorded CLI
 * events of raw-capi-chunks-5000.jsonl with fresh ids. Skipped, with a note, without nats-server.
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, DeliverPolicy } from '@nats-io/jetstream';
import { CopilotFleet, Outbox, ensureFleetStream, sessionSubject, FLEET_STREAM } from '@copilot-rx/fleet';
import { fmt, summarize, cell } from '../lib/stats.mjs';
import { NATS_SERVER, startNats, recordedEvents, freshEvent, percentile, ownCpuSeconds } from '../lib/fleetSupport.mjs';

const VARIANTS = fileURLToPath(new URL('../variants/', import.meta.url));
const mb = (bytes) => bytes / 1024 / 1024;

export async function fleet({ quick, runs, log }) {
  const base = { key: 'fleet', title: 'Fleet over NATS JetStream', head: ['measure', 'value', 'runs'] };
  if (!NATS_SERVER) {
    return { ...base, setup: 'Skipped: nats-server is missing (apt-get install nats-server).', rows: [], ratios: [], targets: [] };
  }
  const templates = recordedEvents();
  const events = quick ? 20_000 : 100_000;
  const sessions = 10;
  const publish = { batched: [], perEvent: [], raw: [], vsRaw: [], load: [], hostCpuUs: [], serverCpuUs: [] };
  const rebuild = { raw: [], fleet: [], heapPeakMb: [], exact: [], cpuUs: [] };
  const latency = { 1000: [], 10000: [] };
  let simulated;
  let bound;
  let version = 'unknown';
  const runCount = Math.max(1, Math.min(runs, 3));
  for (let run = 0; run < runCount; run++) {
    const nats = await startNats();
    version = nats.version;
    try {
      const nc = await connect({ servers: nats.url });
      const jsm = await jetstreamManager(nc);
      await ensureFleetStream(jsm, { maxBytes: 4 * 1024 ** 3 });
      const js = jetstream(nc);
      // The anchor first: raw JetStream publishes with acks, one event a message, 2,000 in flight.
      publish.raw.push(await rawPublishRate(js, templates, quick ? 5_000 : 20_000, 2_000, run * 4 + 4));
      await jsm.streams.purge(FLEET_STREAM);
      // One message an event (the stream is purged after), then batched: the rebuild reads the batched bytes.
      publish.perEvent.push((await publishRate(js, templates, quick ? 5_000 : 20_000, sessions, 1, run * 4 + 1)).rate);
      await jsm.streams.purge(FLEET_STREAM);
      // Others' work on a shared machine slows every rate here; the load says how much there was.
      publish.load.push(loadavg()[0]);
      const [cpu0, server0] = [ownCpuSeconds(), nats.cpuSeconds()];
      const batched = await publishRate(js, templates, events, sessions, undefined, run * 4 + 2);
      // CPU per event is what the load of a shared machine does not change much: the scaling estimate uses it.
      publish.hostCpuUs.push(((ownCpuSeconds() - cpu0) / events) * 1e6);
      publish.serverCpuUs.push(((nats.cpuSeconds() - server0) / events) * 1e6);
      publish.batched.push(batched.rate);
      publish.vsRaw.push(batched.rate / publish.raw.at(-1));
      const stored = (await jsm.streams.info(FLEET_STREAM)).state.messages;
      rebuild.exact.push(stored === batched.batches);
      rebuild.raw.push(await rawRead(js, stored, events));
      const cpu1 = ownCpuSeconds();
      const fleetRead = await fleetRebuild(nats.url, events);
      rebuild.cpuUs.push(((ownCpuSeconds() - cpu1) / events) * 1e6);
      rebuild.fleet.push(fleetRead.rate);
      rebuild.heapPeakMb.push(fleetRead.heapPeakMb);
      for (const rate of [1000, 10000]) latency[rate].push(await pacedLatency(nats.url, js, templates, rate, quick ? 1 : 3, run * 4 + 3 + rate));
      // Last: its eight processes would load the machine for the publish runs after it.
      if (run === runCount - 1) simulated = await simulatedFleet(nats.url, quick);
      if (run === runCount - 1) bound = outboxAtBound(templates, quick);
      await nc.close();
      log(`  fleet run ${run + 1} (load ${publish.load.at(-1).toFixed(2)}): publish ${fmt(batched.rate)} events/s batched, ${fmt(publish.hostCpuUs.at(-1), 1)} µs host CPU an event, raw JetStream ${fmt(publish.raw.at(-1))} msgs/s; rebuild ${fmt(fleetRead.rate)} vs raw ${fmt(rebuild.raw.at(-1))} events/s`);
    } finally {
      await nats.stop();
    }
  }
  const s = (values) => summarize(values);
  const pub = s(publish.batched);
  const per = s(publish.perEvent);
  const rawPub = s(publish.raw);
  const vsRaw = s(publish.vsRaw);
  const hostCpu = s(publish.hostCpuUs);
  const load = s(publish.load);
  // The run the machine's other work disturbed least: the figure for a host with a core to itself.
  const quiet = publish.load.indexOf(Math.min(...publish.load));
  const quietRun = `${fmt(publish.batched[quiet])} events/s, ${fmt(publish.hostCpuUs[quiet], 1)} µs of host CPU an event, load ${fmt(publish.load[quiet], 2)}`;
  const raw = s(rebuild.raw);
  const rebuilt = s(rebuild.fleet);
  const lat = (rate, key) => s(latency[rate].map((r) => r[key]));
  const rows = [
    ['host publish, batched per session per tick (events/s)', cell(pub), pub.n],
    ['host publish, one message an event (events/s)', cell(per), per.n],
    ['anchor: raw JetStream publish with acks, one event a message, 2,000 in flight (msgs/s)', cell(rawPub), rawPub.n],
    ['host publish batched ÷ raw JetStream publish, same run', cell(vsRaw, 2), vsRaw.n],
    ['host publish CPU per event: host process / nats-server (µs)', `${cell(hostCpu, 1)} / ${fmt(s(publish.serverCpuUs).median, 1)}`, publish.hostCpuUs.length],
    ['machine load average (1 min) as each batched publish run started (nats-server and the bench included)', cell(load, 2), load.n],
    ['host publish, batched, in the run with the lowest load', quietRun, 1],
    ['stored messages = acknowledged publishes (exactly once)', rebuild.exact.every(Boolean) ? 'yes' : '**no**', rebuild.exact.length],
    ['raw JetStream ordered consumer over the same bytes (events/s)', cell(raw), raw.n],
    ['CopilotFleet rebuild: decoded, de-duplicated (events/s)', cell(rebuilt), rebuilt.n],
    ['CopilotFleet rebuild CPU per event (µs, consumer process)', fmt(s(rebuild.cpuUs).median, 1), rebuild.cpuUs.length],
    ['CopilotFleet rebuild heap peak (MB)', cell(s(rebuild.heapPeakMb), 1), rebuild.heapPeakMb.length],
    ['latency at 1k events/s, p50 / p99 (ms)', `${fmt(lat(1000, 'p50').median, 1)} / ${fmt(lat(1000, 'p99').median, 1)}`, latency[1000].length],
    ['latency at 10k events/s, p50 / p99 (ms)', `${fmt(lat(10000, 'p50').median, 1)} / ${fmt(lat(10000, 'p99').median, 1)}`, latency[10000].length],
    [`outbox with the broker away: ${fmt(bound.pushed[0])} then ${fmt(bound.pushed[1])} events pushed, bound ${fmt(bound.max)}: kept / dropped`, `${fmt(bound.pending)} / ${fmt(bound.dropped)}`, 1],
    ['outbox with the broker away: live heap after each push (MB)', `${fmt(bound.heapMb[0], 1)} → ${fmt(bound.heapMb[1], 1)} (${fmt(bound.heapMb[2], 1)} before)`, 1],
    ['50 hosts × 20 sessions → one consumer: events/s received', fmt(simulated.receivedRate), 1],
    ['50 × 20: lag p50 / p99 (ms)', `${fmt(simulated.lagP50, 0)} / ${fmt(simulated.lagP99, 0)}`, 1],
    ['50 × 20: consumer heap peak (MB); events lost / dropped', `${fmt(simulated.heapPeakMb, 1)}; ${fmt(simulated.lost)} / ${fmt(simulated.dropped)}`, 1],
  ];
  const rebuildRatio = rebuilt.median / raw.median;
  return {
    ...base,
    setup:
      `nats-server ${version} on 127.0.0.1 (file store), one process each for the server and the bench. Publish: ${fmt(events)} recorded events over ${sessions} sessions ` +
      'through the host outbox (stop-and-wait per session, everything that arrived meanwhile in the next batch), fed 500 events a tick (each a fresh object, serialised as the host does), until every batch is acknowledged; ' +
      'host CPU is this process’s (the events’ serialisation, the outbox and the NATS client), over the same span. Anchor: the same events published straight with js.publish, 2,000 awaiting their acks at a time. ' +
      'Rebuild: reading those stored messages back to the last event, raw (bytes only) vs CopilotFleet (JSON, core codecs, id window). ' +
      'Latency: paced events handed to the outbox → a live CopilotFleet subscriber, same clock. ' +
      `Simulated fleet: 5 processes × 10 hosts (own connection and outbox each) × 20 sessions, each session ${simulated.perSessionRate} events/s for ${simulated.seconds} s.`,
    rows,
    ratios: [
      `fleet host publish: ${fmt(pub.median)} events/s batched (${fmt(hostCpu.median, 1)} µs of host CPU an event, load ${fmt(load.median, 2)}), ${(pub.median / per.median).toFixed(1)}x one message an event, ${vsRaw.median.toFixed(1)}x raw JetStream publishes/s in the same runs`,
      `fleet consumer rebuild: ${rebuildRatio.toFixed(2)} of a raw JetStream consumer on the same bytes`,
    ],
    targets: [
      { target: 'fleet host publishes ≥ 60,000 events/s (5x one CLI’s peak), exactly once', value: `${fmt(pub.median)} events/s median (${fmt(hostCpu.median, 1)} µs CPU an event, load ${fmt(load.median, 2)}); quietest run ${quietRun}`, met: pub.median >= 60_000 && rebuild.exact.every(Boolean) },
      { target: 'fleet consumer rebuilds at ≥ 0.5 of a raw JetStream consumer', value: `${rebuildRatio.toFixed(2)}`, met: rebuildRatio >= 0.5 },
    ],
    raw: {},
  };
}

/** Hands `count` events to an outbox 500 a tick, round-robin over sessions; events/s until all acked. */
async function publishRate(js, templates, count, sessions, maxBatchEvents, seed) {
  const outbox = new Outbox(async (subject, payload, msgID) => void (await js.publish(subject, payload, { msgID })), maxBatchEvents ? { maxBatchEvents } : {});
  const lanes = Array.from({ length: sessions }, (_, s) => ({ key: `s${s}`, subjects: { eventSubject: sessionSubject('bench', `s${s}`, 'event'), lifecycleSubject: sessionSubject('bench', `s${s}`, 'lifecycle') } }));
  const started = performance.now();
  for (let n = 0; n < count; n++) {
    const event = freshEvent(templates[n % templates.length], seed * 1e7 + n);
    const lane = lanes[n % sessions];
    outbox.pushEvent(lane.key, lane.subjects, event.id, JSON.stringify(event));
    if (n % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
  }
  const left = await outbox.drain(120_000);
  const seconds = (performance.now() - started) / 1000;
  if (left > 0) throw new Error(`${left} records not acknowledged in 120 s`);
  return { rate: count / seconds, batches: outbox.stats.batches };
}

/** The anchor: `count` events published straight to JetStream (one a message, with acks, `window` in flight): msgs/s. */
async function rawPublishRate(js, templates, count, window, seed) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const event = freshEvent(templates[n % templates.length], seed * 1e7 + n);
      await js.publish(sessionSubject('raw', `s${n % 10}`, 'event'), JSON.stringify(event), { msgID: event.id });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: window }, worker));
  return count / ((performance.now() - started) / 1000);
}

/** A raw ordered consumer reading every stored message (bytes touched, nothing decoded): events/s. */
async function rawRead(js, messages, events) {
  const consumer = await js.consumers.get(FLEET_STREAM, { filter_subjects: 'copilot.*.*.event', deliver_policy: DeliverPolicy.All });
  const started = performance.now();
  let bytes = 0;
  let seen = 0;
  await new Promise((resolve, reject) => {
    consumer
      .consume({
        callback: (msg) => {
          bytes += msg.data.length;
          if (++seen === messages) resolve();
        },
      })
      .then((iter) => (done = () => iter.stop()), reject);
  });
  done();
  return bytes > 0 ? events / ((performance.now() - started) / 1000) : NaN;
}
let done = () => undefined;

/** CopilotFleet reading the same stream from the start to its `events`-th event: events/s and heap peak. */
async function fleetRebuild(url, events) {
  const fleet = await CopilotFleet.connect({ nats: { connect: { servers: url } } });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
  const started = performance.now();
  await new Promise((resolve, reject) => {
    let seen = 0;
    const subscription = fleet.events('start').subscribe({
      next: () => {
        if (++seen === events) {
          subscription?.unsubscribe();
          resolve();
        }
      },
      error: reject,
    });
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await fleet.close();
  return { rate: events / seconds, heapPeakMb: mb(peak) };
}

/** Events handed to an outbox at `rate` events/s for `seconds`; latency to a live subscriber, p50/p99 ms. */
async function pacedLatency(url, js, templates, rate, seconds, seed) {
  const host = `lat${rate}`;
  const fleet = await CopilotFleet.connect({ nats: { connect: { servers: url } } });
  const sentAt = new Map();
  const latencies = [];
  let ready;
  const isReady = new Promise((resolve) => (ready = resolve));
  const subscription = fleet.events('live', host).subscribe(({ event }) => {
    const t = sentAt.get(event.id);
    if (t !== undefined) latencies.push(performance.now() - t);
  });
  // The live consumer exists once a probe published after it arrives.
  const probe = fleet.events('live', host).subscribe(() => ready());
  const outbox = new Outbox(async (subject, payload, msgID) => void (await js.publish(subject, payload, { msgID })));
  const lane = { eventSubject: sessionSubject(host, 's', 'event'), lifecycleSubject: sessionSubject(host, 's', 'lifecycle') };
  const probeTimer = setInterval(() => {
    const event = freshEvent(templates[0], seed * 1e7 + Math.floor(Math.random() * 1e6) + 5e6);
    outbox.pushEvent('s', lane, event.id, JSON.stringify(event));
  }, 50);
  await Promise.race([isReady, new Promise((resolve) => setTimeout(resolve, 5000))]);
  clearInterval(probeTimer);
  probe.unsubscribe();
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent++) {
      const event = freshEvent(templates[sent % templates.length], seed * 1e7 + sent);
      sentAt.set(event.id, performance.now());
      outbox.pushEvent('s', lane, event.id, JSON.stringify(event));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await outbox.drain(30_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  subscription.unsubscribe();
  await fleet.close();
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), received: latencies.length, sent };
}

/** 50 hosts × 20 sessions in 5 processes into one live consumer: events/s, lag, heap. */
async function simulatedFleet(url, quick) {
  const processes = 5;
  const perSessionRate = quick ? 5 : 20;
  const seconds = quick ? 3 : 8;
  const fleet = await CopilotFleet.connect({ nats: { connect: { servers: url } } });
  const lags = [];
  let received = 0;
  let peak = 0;
  const subscription = fleet.events('live').subscribe(({ event }) => {
    received++;
    lags.push(Date.now() - Date.parse(event.timestamp));
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 50);
  const children = Array.from({ length: processes }, (_, p) =>
    fork(`${VARIANTS}fleetHosts.mjs`, [JSON.stringify({ url, first: p * 10, hosts: 10, sessions: 20, perSessionRate, seconds })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  const message = (child, type) => new Promise((resolve, reject) => {
    child.on('message', (m) => m.type === type && resolve(m.result));
    child.once('exit', (code) => code !== 0 && reject(new Error(`a fleet host process exited with ${code}`)));
  });
  await Promise.all(children.map((child) => message(child, 'ready')));
  const started = performance.now();
  for (const child of children) child.send({ go: true });
  const results = await Promise.all(children.map((child) => message(child, 'result')));
  const sent = results.reduce((sum, r) => sum + r.sent, 0);
  const deadline = Date.now() + 30_000;
  while (received < sent && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  subscription.unsubscribe();
  await fleet.close();
  lags.sort((a, b) => a - b);
  return {
    perSessionRate,
    seconds,
    receivedRate: received / elapsed,
    lagP50: percentile(lags, 50),
    lagP99: percentile(lags, 99),
    heapPeakMb: mb(peak),
    lost: Math.max(0, sent - received),
    dropped: results.reduce((sum, r) => sum + r.dropped, 0),
  };
}

/**
 * The outbox's bound, measured: a publisher that never answers (the broker away), `max` events kept,
 * the rest counted as dropped; the live heap after pushing 3x and then 6x the bound stays the same.
 */
function outboxAtBound(templates, quick) {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const max = quick ? 20_000 : 100_000;
  gc();
  const before = process.memoryUsage().heapUsed;
  const outbox = new Outbox(() => new Promise(() => undefined), { maxPendingEvents: max });
  const lane = { eventSubject: sessionSubject('away', 's', 'event'), lifecycleSubject: sessionSubject('away', 's', 'lifecycle') };
  const heap = [];
  let n = 0;
  for (const until of [3 * max, 6 * max]) {
    for (; n < until; n++) {
      const event = freshEvent(templates[n % templates.length], 9e8 + n);
      outbox.pushEvent('s', lane, event.id, JSON.stringify(event));
    }
    gc();
    heap.push(mb(process.memoryUsage().heapUsed));
  }
  const { pending, dropped } = outbox.stats;
  outbox.close();
  return { max, pushed: [3 * max, 6 * max], pending, dropped, heapMb: [...heap, mb(before)] };
}
