/**
 * Where copilot-rx's time goes, per event: each stage of the event path timed alone, in one process,
 * on the recorded events (no socket, no other process). Stages, cumulative as in the real path:
 *   JSON.parse        parsing the bodies (what the ceiling does, minus the socket)
 *   reader            FastMessageReader: framing + JSON.parse + classification, into a no-op sink
 *   decode            decodeSessionEventNotification (io-ts) on parsed params
 *   de-duplication    UuidIdWindow.add of each event id (the default window, as EventHub uses it)
 *   hub               EventHub: decode + de-duplication + events$ + Map routing to one subscribed session
 *   hub, 10,000       the same with 10,000 subscribed routes and the events spread over all of them
 *                     (what the Map and Subjects alone cost at scale, without RxSession's own state)
 * Internal modules of @copilot-rx/core are imported from the build output: this is a diagnostic.
 */
import { PassThrough } from 'node:stream';
import { decodeSessionEventNotification } from '../../packages/core/dist/esm/events/decode.js';
import { UuidIdWindow } from '../../packages/core/dist/esm/events/uuidIdWindow.js';
import { EventHub, DEFAULT_DEDUPE_WINDOW } from '../../packages/core/dist/esm/events/eventHub.js';
import { FastMessageReader } from '../../packages/core/dist/esm/rpc/fastReader.js';
import { LazySubject } from '../../packages/core/dist/esm/events/LazySubject.js';
import { Subject } from 'rxjs';
import { buildFlood, loadRecording, benchSessionId } from '../lib/recording.mjs';

const { repetitions = 10, rounds = 5 } = JSON.parse(process.argv[2] ?? '{}');
const recording = loadRecording();
const flood = buildFlood(recording, { repetitions });
const SPREAD = 10_000;
const bodies = bodiesOf(flood);
const spreadBodies = bodiesOf(buildFlood(recording, { repetitions, sessions: SPREAD }));
const parse = (from = bodies) => from.map((body) => JSON.parse(body)).filter((m) => m.method === 'session.event');
const events = flood.events;

const stages = {
  'JSON.parse': () => {
    const t0 = performance.now();
    for (const body of bodies) JSON.parse(body);
    return performance.now() - t0;
  },
  reader: () => {
    const stream = new PassThrough({ highWaterMark: 1 << 20 });
    let n = 0;
    const reader = new FastMessageReader(stream, { notification: () => n++, malformed: () => undefined });
    reader.listen(() => undefined);
    const t0 = performance.now();
    for (const chunk of flood.chunks) stream.write(chunk);
    const t = performance.now() - t0;
    if (n !== flood.notifications) throw new Error(`reader delivered ${n} of ${flood.notifications}`);
    return t;
  },
  decode: () => {
    const messages = parse();
    const t0 = performance.now();
    for (const m of messages) decodeSessionEventNotification(m.params);
    return performance.now() - t0;
  },
  'de-duplication': () => {
    const ids = parse().map((m) => m.params.event.id);
    const window = new UuidIdWindow(DEFAULT_DEDUPE_WINDOW);
    const t0 = performance.now();
    for (const id of ids) window.add(id);
    return performance.now() - t0;
  },
  hub: () => {
    const messages = parse();
    const hub = new EventHub();
    const source = new Subject();
    hub.attach(source);
    let n = 0;
    subscribedRoute(hub, benchSessionId(0), () => n++);
    const t0 = performance.now();
    for (const m of messages) source.next(m);
    const t = performance.now() - t0;
    if (n !== events) throw new Error(`hub delivered ${n} of ${events}`);
    return t;
  },
  'hub, 10,000 routes': () => {
    const messages = parse(spreadBodies);
    const hub = new EventHub();
    const source = new Subject();
    hub.attach(source);
    let n = 0;
    for (let i = 0; i < SPREAD; i++) subscribedRoute(hub, benchSessionId(i), () => n++);
    const t0 = performance.now();
    for (const m of messages) source.next(m);
    const t = performance.now() - t0;
    if (n !== events) throw new Error(`hub delivered ${n} of ${events}`);
    return t;
  },
};

/** A route the way a session with one subscriber to its events$ has it: a LazySubject, subscribed. */
function subscribedRoute(hub, sessionId, onEvent) {
  const events = new LazySubject();
  events.observable.subscribe(onEvent);
  hub.openRoute(sessionId, { deliver: (event) => events.next(event), end: () => events.complete() });
}

const result = {};
for (const [name, run] of Object.entries(stages)) {
  run(); // warm-up
  const times = [];
  for (let i = 0; i < rounds; i++) {
    globalThis.gc?.();
    times.push(run());
  }
  times.sort((a, b) => a - b);
  result[name] = (times[Math.floor(times.length / 2)] * 1e6) / events;
}
function bodiesOf({ chunks }) {
  const out = [];
  for (const chunk of chunks) {
    let pos = 0;
    while (pos < chunk.length) {
      const headerEnd = chunk.indexOf('\r\n\r\n', pos);
      const length = Number(chunk.latin1Slice(pos + 16, headerEnd));
      out.push(chunk.utf8Slice(headerEnd + 4, headerEnd + 4 + length));
      pos = headerEnd + 4 + length;
    }
  }
  return out;
}

process.send?.({ type: 'result', result: { events, nsPerEvent: result } });
if (!process.send) console.log(result);
process.disconnect?.();
