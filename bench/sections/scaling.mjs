/**
 * 2. Scaling: the cost per event with 1, 100 and 10,000 open sessions on one connection, every
 * session's events$ subscribed. Two shapes of traffic:
 * - spread: the flood round-robin over all open sessions (the worst case for caches: every event
 *   touches a different session's subscribers);
 * - one active: the flood to one session while the others sit open and subscribed (a dashboard with
 *   many idle agents). A per-session `filter` would make both grow with the session count; copilot-rx
 *   routes with one Map lookup.
 */
import { summarize, ratio, times, cell, fmt } from '../lib/stats.mjs';
import { alternate, runVariantProcess, startReplayServer } from '../lib/processes.mjs';

export async function scaling({ quick, runs, log }) {
  const counts = quick ? [1, 100, 1000] : [1, 100, 10_000];
  const repetitions = quick ? 2 : 20;
  const many = counts.slice(1);
  const servers = new Map();
  try {
    for (const sessions of counts) servers.set(sessions, await startReplayServer({ sessions, repetitions, warmupRepetitions: 1 }));
    const events = servers.get(1).floodEvents;
    log(`scaling: ${fmt(events)} events a run with ${counts.join(' / ')} open sessions, ${runs} runs each`);
    const variants = [
      { key: 'rx-1', open: 1, active: 1, label: '1' },
      ...many.map((n) => ({ key: `rx-${n}-spread`, open: n, active: n, label: `${fmt(n)}, flood spread over all` })),
      ...many.map((n) => ({ key: `rx-${n}-one`, open: n, active: 1, label: `${fmt(n)}, flood to one of them` })),
    ].map((v) => ({ ...v, describe: (r) => `${fmt(r.nsPerEvent)} ns/event` }));
    const raw = await alternate(variants, runs, (v) =>
      runVariantProcess('copilot-rx', { ...servers.get(v.active), stop: undefined, mode: 'throughput', sessions: v.open }),
    log);
    const s = Object.fromEntries(variants.map((v) => [v.key, summarize(raw[v.key].filter((r) => !r.error).map((r) => r.nsPerEvent))]));
    const last = counts.at(-1);
    const spread = ratio(s[`rx-${last}-spread`], s['rx-1']);
    const one = ratio(s[`rx-${last}-one`], s['rx-1']);
    return {
      key: 'scaling',
      title: '2. Scaling: cost per event with many open sessions (copilot-rx, full decoding)',
      setup:
        `${fmt(events)} events a run; every open session's events$ subscribed; sessions created with session.create ` +
        'before the flood (not timed). "Spread": the flood round-robin over all open sessions; "to one": the flood to one ' +
        'session while the rest stay open.',
      head: ['open sessions', 'ns/event', 'events/s'],
      rows: variants.map((v) => [v.label, cell(s[v.key]), fmt(1e9 / s[v.key].median)]),
      ratios: many.flatMap((n) => [
        `${fmt(n)} open sessions vs 1, flood spread over all: ${times(ratio(s[`rx-${n}-spread`], s['rx-1']))} the cost per event`,
        `${fmt(n)} open sessions vs 1, flood to one: ${times(ratio(s[`rx-${n}-one`], s['rx-1']))} the cost per event`,
      ]),
      targets: [
        { target: `${fmt(last)} sessions cost ≤ 1.2x per event of 1 session (flood to one of them)`, value: times(one), met: one <= 1.2 },
        { target: `${fmt(last)} sessions cost ≤ 1.2x per event of 1 session (flood spread over all)`, value: times(spread), met: spread <= 1.2 },
      ],
      summaries: s,
      raw,
    };
  } finally {
    for (const server of servers.values()) server.stop();
  }
}
