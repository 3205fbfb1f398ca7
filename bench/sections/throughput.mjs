/**
 * 1. Throughput, and the heap while a flood is read: the same recorded bytes, as fast as the
 * socket takes them, through every client. Also the copilot-rx RPC layer alone, which separates
 * what the reader costs from what decoding and routing cost.
 */
import { summarize, ratio, times, cell, fmt } from '../lib/stats.mjs';
import { alternate, runVariantProcess, startReplayServer } from '../lib/processes.mjs';

export const THROUGHPUT_VARIANTS = [
  { key: 'ceiling', label: 'ceiling: splitter + JSON.parse', script: 'ceiling' },
  { key: 'vscode-jsonrpc', label: 'raw vscode-jsonrpc, one counting handler', script: 'vscode-jsonrpc' },
  { key: 'sdk', label: 'official SDK, session.on', script: 'sdk' },
  { key: 'rx-rpc', label: 'copilot-rx RPC layer only (no decoding)', script: 'copilot-rx-rpc' },
  { key: 'rx', label: 'copilot-rx session.events$ (decoded, de-duplicated, routed)', script: 'copilot-rx' },
  { key: 'rx-pipeline', label: 'copilot-rx + accumulateText + countTokens + bufferDeltas', script: 'copilot-rx', extra: { pipeline: true } },
];

const BREAKDOWN_LABELS = {
  'JSON.parse': 'JSON.parse of the bodies',
  reader: 'FastMessageReader: framing + JSON.parse + classification',
  decode: 'decodeSessionEventNotification (io-ts)',
  'de-duplication': 'UuidIdWindow.add (65,536 ids)',
  hub: 'EventHub: decode + de-duplication + events$ + Map routing (1 session)',
  'hub, 10,000 routes': 'the same, 10,000 subscribed sessions, events spread over all',
};

export async function throughput({ quick, runs, log }) {
  const repetitions = quick ? 3 : 50;
  const server = await startReplayServer({ sessions: 1, repetitions, warmupRepetitions: quick ? 1 : 2 });
  log(`throughput: ${fmt(server.floodEvents)} events (${fmt(server.floodBytes / 2 ** 20, 1)} MB) a run, ${runs} runs each`);
  try {
    const variants = THROUGHPUT_VARIANTS.map((v) => ({
      ...v,
      describe: (r) => `${fmt(r.eventsPerSec)} events/s, heap +${fmt(r.peakHeapGrowthMB, 1)} MB`,
    }));
    const raw = await alternate(variants, runs, (v) =>
      runVariantProcess(v.script, { ...server, stop: undefined, mode: 'throughput', sessions: 1, ...v.extra }),
    log);
    const ok = (key) => raw[key].filter((r) => !r.error);
    const s = Object.fromEntries(
      variants.map((v) => [
        v.key,
        {
          eventsPerSec: summarize(ok(v.key).map((r) => r.eventsPerSec)),
          nsPerEvent: summarize(ok(v.key).map((r) => r.nsPerEvent)),
          heapGrowthMB: summarize(ok(v.key).map((r) => r.peakHeapGrowthMB)),
          peakRssMB: summarize(ok(v.key).map((r) => r.peakRssMB)),
          decodeErrors: Math.max(0, ...ok(v.key).map((r) => r.decodeErrors)),
        },
      ]),
    );
    log('  breakdown: each stage of the copilot-rx path alone, in one process');
    const breakdown = await runVariantProcess('breakdown', { repetitions: quick ? 2 : 10, rounds: quick ? 2 : 5 });
    const ns = (key) => s[key].nsPerEvent.median;
    const rxVsSdk = ratio(s.rx.eventsPerSec, s.sdk.eventsPerSec);
    const rxVsCeiling = ratio(s.rx.eventsPerSec, s.ceiling.eventsPerSec);
    return {
      key: 'throughput',
      title: '1. Throughput (events/s) and heap while a flood is read',
      setup:
        `${fmt(server.floodEvents)} session.event notifications (the recording repeated ${repetitions} times, ` +
        `${fmt(server.floodBytes / 2 ** 20, 1)} MB) written by the replay server as fast as the socket takes them; ` +
        'each process first reads an unmeasured warm-up flood. Time runs from sending session.send to the last event delivered. ' +
        'Heap growth: peak V8 heap used while reading, minus the heap after a forced GC just before.',
      head: ['variant', 'events/s', 'ns/event', 'peak heap growth (MB)', 'peak RSS (MB)'],
      rows: variants.map((v) => [
        v.label,
        cell(s[v.key].eventsPerSec),
        cell(s[v.key].nsPerEvent),
        cell(s[v.key].heapGrowthMB, 1),
        cell(s[v.key].peakRssMB),
      ]),
      ratios: [
        `copilot-rx (full decoding) vs official SDK: ${times(rxVsSdk)} events/s`,
        `copilot-rx (full decoding) vs the ceiling: ${times(rxVsCeiling)} (${fmt(100 * rxVsCeiling)}% of the ceiling's events/s)`,
        `copilot-rx (full decoding) vs raw vscode-jsonrpc: ${times(ratio(s.rx.eventsPerSec, s['vscode-jsonrpc'].eventsPerSec))} events/s`,
        `copilot-rx + operators vs official SDK: ${times(ratio(s['rx-pipeline'].eventsPerSec, s.sdk.eventsPerSec))} events/s`,
        `copilot-rx RPC layer vs raw vscode-jsonrpc: ${times(ratio(s['rx-rpc'].eventsPerSec, s['vscode-jsonrpc'].eventsPerSec))} events/s ` +
          `(${fmt(100 * ratio(s['rx-rpc'].eventsPerSec, s.ceiling.eventsPerSec))}% of the ceiling)`,
        `peak heap growth, copilot-rx vs official SDK: ${fmt(s.rx.heapGrowthMB.median, 1)} MB vs ${fmt(s.sdk.heapGrowthMB.median, 1)} MB ` +
          `(${times(ratio(s.rx.heapGrowthMB, s.sdk.heapGrowthMB))})`,
      ],
      notes: [
        'Cost per event by layer, from the medians above (socket included): ' +
          `reading and parsing (ceiling) ${fmt(ns('ceiling'))} ns; copilot-rx's reader on top of that ${fmt(ns('rx-rpc') - ns('ceiling'))} ns; ` +
          `decoding, de-duplication and routing ${fmt(ns('rx') - ns('rx-rpc'))} ns; the three operators ${fmt(ns('rx-pipeline') - ns('rx'))} ns. ` +
          `The official SDK: ${fmt(ns('sdk'))} ns, raw vscode-jsonrpc ${fmt(ns('vscode-jsonrpc'))} ns.`,
        '',
        'Each stage of the copilot-rx path timed alone, in one process, on the recorded events (no socket; ns per session.event, median of the rounds):',
        '',
        '| stage | ns/event |',
        '|---|---|',
        ...(breakdown.error
          ? [`| failed: ${breakdown.error.split('\n')[0]} | |`]
          : Object.entries(breakdown.nsPerEvent).map(([stage, value]) => `| ${BREAKDOWN_LABELS[stage] ?? stage} | ${fmt(value)} |`)),
      ],
      targets: [
        { target: 'events/s with full decoding ≥ 3x the official SDK', value: times(rxVsSdk), met: rxVsSdk >= 3 },
        { target: 'events/s with full decoding ≥ half the ceiling', value: `${fmt(100 * rxVsCeiling)}%`, met: rxVsCeiling >= 0.5 },
      ],
      summaries: s,
      breakdown,
      raw,
    };
  } finally {
    server.stop();
  }
}
