/**
 * 5. The real CLI: the same binary driven by copilot-rx and by the official SDK, streaming from the
 * scripted model endpoint (started here, in the harness process, so it competes with neither client).
 * Here the CLI itself is the bottleneck (about 12k notifications/s at most), so the question is
 * whether either client adds measurable overhead.
 */
import { startScriptedModelEndpoint } from '@copilot-rx/testing';
import { summarize, ratio, times, cell, fmt } from '../lib/stats.mjs';
import { alternate, runVariantProcess } from '../lib/processes.mjs';

export async function realCli({ quick, runs, log }) {
  const chunks = quick ? 500 : 5000;
  const endpoint = await startScriptedModelEndpoint();
  try {
    log(`real CLI: ${runs} runs each, a ${fmt(chunks)}-chunk turn a run`);
    const variants = [
      { key: 'rx', label: 'copilot-rx' },
      { key: 'sdk', label: 'official SDK' },
    ].map((v) => ({
      ...v,
      describe: (r) =>
        `spawn→delta ${fmt(r.spawnToFirstDeltaMs)} ms, send→delta ${fmt(r.sendToFirstDeltaMs)} ms, ${fmt(r.deltasPerSec)} deltas/s (${fmt(r.floodDeltas)})`,
    }));
    const raw = await alternate(
      variants,
      runs,
      (v) => runVariantProcess('real-cli', { client: v.key, provider: endpoint.byokProvider(), chunks }, { pin: false, timeoutMs: 120_000 }),
      log,
    );
    const ok = (key) => raw[key].filter((r) => !r.error);
    const s = Object.fromEntries(
      variants.map((v) => [
        v.key,
        {
          spawn: summarize(ok(v.key).map((r) => r.spawnToFirstDeltaMs)),
          send: summarize(ok(v.key).map((r) => r.sendToFirstDeltaMs)),
          rate: summarize(ok(v.key).map((r) => r.deltasPerSec)),
          idle: summarize(ok(v.key).map((r) => r.sendToIdleMs)),
        },
      ]),
    );
    const spawn = ratio(s.rx.spawn, s.sdk.spawn);
    const send = ratio(s.rx.send, s.sdk.send);
    const rate = ratio(s.rx.rate, s.sdk.rate);
    return {
      key: 'real-cli',
      title: '5. The real CLI (scripted model endpoint, route B, stdio)',
      setup:
        `@github/copilot's native binary in a fresh sandbox per run, spawned by each client over stdio; the model endpoint ` +
        `streams "[[chunks 20]]" for the first two turns and "[[chunks ${fmt(chunks)}]]" as fast as it can for the third. ` +
        'Deltas/s: first to last assistant.message_delta of the third turn.',
      head: ['client', 'spawn → first delta (ms)', 'send → first delta (ms)', `${fmt(chunks)}-chunk turn (deltas/s)`, 'send → idle (ms)'],
      rows: variants.map((v) => [v.label, cell(s[v.key].spawn), cell(s[v.key].send), cell(s[v.key].rate), cell(s[v.key].idle)]),
      ratios: [
        `copilot-rx vs official SDK, spawn → first delta: ${times(spawn)} the time (${fmt(s.rx.spawn.median)} vs ${fmt(s.sdk.spawn.median)} ms)`,
        `copilot-rx vs official SDK, send → first delta: ${times(send)} the time (${fmt(s.rx.send.median)} vs ${fmt(s.sdk.send.median)} ms)`,
        `copilot-rx vs official SDK, ${fmt(chunks)}-chunk turn: ${times(rate)} deltas/s (${fmt(s.rx.rate.median)} vs ${fmt(s.sdk.rate.median)})`,
      ],
      targets: [
        {
          target: 'on the real CLI, no measurable overhead vs the official SDK (medians within 10%, or better)',
          value: `spawn ${times(spawn)}, send ${times(send)}, deltas/s ${times(rate)}`,
          met: spawn <= 1.1 && send <= 1.1 && rate >= 0.9,
        },
      ],
      summaries: s,
      raw,
    };
  } finally {
    await endpoint.close();
  }
}
