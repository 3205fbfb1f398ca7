/**
 * 3. Memory: the heap an idle session costs (copilot-rx vs the official SDK), and whether the heap
 * stays flat while a flood is read (the same client reading a 5x longer flood should not need more).
 */
import { summarize, ratio, times, cell, fmt } from '../lib/stats.mjs';
import { alternate, runVariantProcess, startReplayServer } from '../lib/processes.mjs';

export async function memory({ quick, runs, log }) {
  const count = quick ? 500 : 10_000;
  const shortReps = quick ? 1 : 10;
  const longReps = quick ? 5 : 50;
  const idle = await startReplayServer({ sessions: 1, repetitions: 0, warmupRepetitions: 0 });
  const short = await startReplayServer({ sessions: 1, repetitions: shortReps, warmupRepetitions: 1 });
  const long = await startReplayServer({ sessions: 1, repetitions: longReps, warmupRepetitions: 1 });
  try {
    log(`memory: ${fmt(count)} idle sessions; floods of ${fmt(short.floodEvents)} and ${fmt(long.floodEvents)} events; ${runs} runs each`);
    const config = (server, extra) => ({ ...server, stop: undefined, ...extra });
    const variants = [
      { key: 'rx-idle', run: () => runVariantProcess('copilot-rx', config(idle, { mode: 'idle-sessions', count })) },
      { key: 'sdk-idle', run: () => runVariantProcess('sdk', config(idle, { mode: 'idle-sessions', count })) },
      { key: 'rx-short', run: () => runVariantProcess('copilot-rx', config(short, { mode: 'throughput', sessions: 1 })) },
      { key: 'rx-long', run: () => runVariantProcess('copilot-rx', config(long, { mode: 'throughput', sessions: 1 })) },
    ].map((v) => ({
      ...v,
      describe: (r) => (r.bytesPerSession !== undefined ? `${fmt(r.bytesPerSession)} B/session` : `heap +${fmt(r.peakHeapGrowthMB, 1)} MB`),
    }));
    const raw = await alternate(variants, runs, (v) => v.run(), log);
    const ok = (key) => raw[key].filter((r) => !r.error);
    const perSession = (key) => summarize(ok(key).map((r) => r.bytesPerSession));
    const growth = (key) => summarize(ok(key).map((r) => r.peakHeapGrowthMB));
    const retained = (key) => summarize(ok(key).map((r) => r.retainedHeapGrowthMB));
    const s = {
      rxIdle: perSession('rx-idle'),
      sdkIdle: perSession('sdk-idle'),
      rxShort: growth('rx-short'),
      rxLong: growth('rx-long'),
      rxShortRetained: retained('rx-short'),
      rxLongRetained: retained('rx-long'),
    };
    const flatness = ratio(s.rxLongRetained, s.rxShortRetained);
    const peakFlatness = ratio(s.rxLong, s.rxShort);
    return {
      key: 'memory',
      title: '3. Memory: heap per idle session, heap under a flood',
      setup:
        `Idle sessions: heap used after a forced GC, before and after opening ${fmt(count)} sessions (one session opened first ` +
        'so shared code paths are not counted), divided by the count. Flood: copilot-rx reading a flood ' +
        `of ${fmt(short.floodEvents)} and of ${fmt(long.floodEvents)} events; "peak" is the most heap in use while reading ` +
        '(garbage not yet collected included), "live after" the heap still in use after the flood and a forced GC (the ' +
        'de-duplication window of 65,536 ids included). Read-ahead would make both grow with the flood. The throughput ' +
        "table has every client's peak at 500k events.",
      head: ['measure', 'median [min–max]'],
      rows: [
        ['copilot-rx, bytes per idle session', cell(s.rxIdle)],
        ['official SDK, bytes per idle session', cell(s.sdkIdle)],
        [`copilot-rx, ${fmt(short.floodEvents)}-event flood: peak heap growth (MB)`, cell(s.rxShort, 1)],
        [`copilot-rx, ${fmt(long.floodEvents)}-event flood: peak heap growth (MB)`, cell(s.rxLong, 1)],
        [`copilot-rx, ${fmt(short.floodEvents)}-event flood: heap growth live after (MB)`, cell(s.rxShortRetained, 1)],
        [`copilot-rx, ${fmt(long.floodEvents)}-event flood: heap growth live after (MB)`, cell(s.rxLongRetained, 1)],
      ],
      ratios: [
        `copilot-rx vs official SDK: ${times(ratio(s.rxIdle, s.sdkIdle))} the heap per idle session (${fmt(s.rxIdle.median)} B vs ${fmt(s.sdkIdle.median)} B)`,
        `copilot-rx, ${longReps / shortReps}x longer flood: ${times(flatness)} the live heap growth, ${times(peakFlatness)} the peak`,
      ],
      targets: [
        { target: '≤ 1 KB of heap per idle session', value: `${fmt(s.rxIdle.median)} B`, met: s.rxIdle.median <= 1024 },
        {
          target: 'heap under a flood stays flat: no read-ahead (5x the flood, ≤ 1.2x the live heap or under 1 MB more; the peak is V8\'s GC cadence)',
          value: `live ${fmt(s.rxShortRetained.median, 1)} → ${fmt(s.rxLongRetained.median, 1)} MB, peak ${fmt(s.rxShort.median, 1)} → ${fmt(s.rxLong.median, 1)} MB`,
          // A ratio of two tenths of a megabyte is noise: a flood read ahead would add tens of MB.
          met: flatness <= 1.2 || s.rxLongRetained.median - s.rxShortRetained.median < 1,
        },
      ],
      summaries: s,
      raw,
    };
  } finally {
    for (const server of [idle, short, long]) server.stop();
  }
}
