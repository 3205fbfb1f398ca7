/**
 * A process of simulated fleet hosts: `hosts` hosts, each with its own NATS connection and outbox (the
 * host's publish path of @copilot-rx/fleet, without the CLI), `sessions` sessions each, every session
 * replaying the recorded CLI events at `perSessionRate` events/s for `seconds`. Each event's timestamp
 * is the moment it was handed to the outbox, so the consumer measures the lag. Reports over IPC.
 */
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Outbox, sessionSubject } from '@copilot-rx/fleet';
import { recordedEvents, freshEvent } from '../lib/fleetSupport.mjs';

const config = JSON.parse(process.argv[2]);
const templates = recordedEvents();
const hosts = [];
for (let h = 0; h < config.hosts; h++) {
  const nc = await connect({ servers: config.url, name: `bench host ${config.first + h}` });
  const js = jetstream(nc);
  const outbox = new Outbox(async (subject, payload, msgID) => void (await js.publish(subject, payload, { msgID })));
  const host = `sim${config.first + h}`;
  const lanes = Array.from({ length: config.sessions }, (_, s) => {
    const sessionId = `s${s}`;
    return { key: sessionId, subjects: { eventSubject: sessionSubject(host, sessionId, 'event'), lifecycleSubject: sessionSubject(host, sessionId, 'lifecycle') } };
  });
  hosts.push({ nc, outbox, lanes });
}
process.send({ type: 'ready' });
await new Promise((resolve) => process.once('message', resolve));

const started = performance.now();
let sent = 0;
let counter = (config.first + 1) << 20;
const total = () => Math.floor(((performance.now() - started) / 1000) * config.perSessionRate);
while (performance.now() - started < config.seconds * 1000) {
  const due = total();
  for (const { outbox, lanes } of hosts) {
    for (const lane of lanes) {
      for (let n = lane.sent ?? 0; n < due; n++) {
        const event = freshEvent(templates[n % templates.length], counter++, new Date().toISOString());
        outbox.pushEvent(lane.key, lane.subjects, event.id, JSON.stringify(event));
        sent++;
      }
      lane.sent = due;
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
}
const left = (await Promise.all(hosts.map(({ outbox }) => outbox.drain(30_000)))).reduce((a, b) => a + b, 0);
const dropped = hosts.reduce((sum, { outbox }) => sum + outbox.stats.dropped, 0);
process.send({ type: 'result', result: { sent, left, dropped } });
for (const { nc } of hosts) await nc.close();
process.exit(0);
