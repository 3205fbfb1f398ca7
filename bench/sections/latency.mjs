/**
 * 4. Latency at a paced 10k events/s: from the server's write (stamped into each event with the
 * machine's monotonic clock) to the subscriber's callback, copilot-rx vs the official SDK.
 */
import { summarize, ratio, times, cell, fmt } from '../lib/stats.mjs';
import { alternate, runVariantProcess, startReplayServer } from '../lib/processes.mjs';

export async function latency({ quick, runs, log }) {
  const rate = 10_000;
  const pacedMs = quick ? 1_000 : 4_000;
  const server = await startReplayServer({ sessions: 1, repetitions: 0, warmupRepetitions: 0, rate, pacedMs, pacedWarmupMs: quick ? 300 : 1_000 });
  try {
    log(`latency: ${fmt(server.pacedEvents)} events at ${fmt(rate)}/s a run, ${runs} runs each`);
    const variants = [
      { key: 'rx', script: 'copilot-rx', label: 'copilot-rx session.events$' },
      { key: 'sdk', script: 'sdk', label: 'official SDK session.on' },
    ].map((v) => ({ ...v, describe: (r) => `p50 ${fmt(r.p50Ms, 3)} ms, p99 ${fmt(r.p99Ms, 3)} ms` }));
    const raw = await alternate(variants, runs, (v) => runVariantProcess(v.script, { ...server, stop: undefined, mode: 'latency' }), log);
    const ok = (key) => raw[key].filter((r) => !r.error);
    const s = Object.fromEntries(
      variants.map((v) => [
        v.key,
        {
          p50: summarize(ok(v.key).map((r) => r.p50Ms)),
          p90: summarize(ok(v.key).map((r) => r.p90Ms)),
          p99: summarize(ok(v.key).map((r) => r.p99Ms)),
          max: summarize(ok(v.key).map((r) => r.maxMs)),
        },
      ]),
    );
    const p50 = ratio(s.rx.p50, s.sdk.p50);
    const p99 = ratio(s.rx.p99, s.sdk.p99);
    return {
      key: 'latency',
      title: '4. Latency at a paced 10k events/s (server write → subscriber)',
      setup:
        `${fmt(server.pacedEvents)} assistant.message_delta events a run, one socket write each, paced at ${fmt(rate)}/s after ` +
        'an unmeasured warm-up; each event carries its write time (process.hrtime, CLOCK_MONOTONIC, shared by all processes).',
      head: ['variant', 'p50 (ms)', 'p90 (ms)', 'p99 (ms)', 'max (ms)'],
      rows: variants.map((v) => [v.label, cell(s[v.key].p50, 3), cell(s[v.key].p90, 3), cell(s[v.key].p99, 3), cell(s[v.key].max, 2)]),
      ratios: [
        `copilot-rx vs official SDK, p50: ${times(p50)} the latency (${fmt(s.rx.p50.median, 3)} vs ${fmt(s.sdk.p50.median, 3)} ms)`,
        `copilot-rx vs official SDK, p99: ${times(p99)} the latency (${fmt(s.rx.p99.median, 3)} vs ${fmt(s.sdk.p99.median, 3)} ms)`,
      ],
      targets: [{ target: "latency p50/p99 no worse than the official SDK's (within 5%)", value: `${times(p50)} / ${times(p99)}`, met: p50 <= 1.05 && p99 <= 1.05 }],
      summaries: s,
      raw,
    };
  } finally {
    server.stop();
  }
}
