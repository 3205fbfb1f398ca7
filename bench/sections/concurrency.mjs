/**
 * 6. Concurrency: many sessions on ONE agent process, all created at once, then one streamed turn
 * each, all sent at once. Two agents (the Copilot CLI binary and the official SDK's bundled runtime),
 * each driven by copilot-rx (unbounded, and with its default bound on concurrent turns) and by the
 * official SDK. Every run is capped: a run that has not ended every turn by the cap is recorded as a
 * timeout with how many ended, and larger sizes of that agent and client are then skipped (they
 * would only time out later).
 */
import { DEFAULT_MAX_CONCURRENT_TURNS } from '@copilot-rx/core';
import { startScriptedModelEndpoint } from '@copilot-rx/testing';
import { times, fmt } from '../lib/stats.mjs';
import { runVariantProcess } from '../lib/processes.mjs';

const AGENTS = [
  { key: 'sdk-runtime', label: "SDK's bundled runtime" },
  { key: 'cli', label: 'CLI binary' },
];
const CLIENTS = [
  { key: 'rx', label: 'copilot-rx, unbounded', config: { client: 'rx', maxConcurrentTurns: 'unbounded' } },
  { key: 'rx-bounded', label: `copilot-rx, maxConcurrentTurns ${DEFAULT_MAX_CONCURRENT_TURNS} (default)`, config: { client: 'rx' } },
  { key: 'sdk', label: 'official SDK', config: { client: 'sdk' } },
];

export async function concurrency({ quick, log }) {
  const sizes = quick ? [10, 25] : [10, 25, 50, 100, 200];
  const capMs = quick ? 30_000 : 60_000;
  const chunks = 50;
  const endpoint = await startScriptedModelEndpoint();
  const results = [];
  try {
    log(`concurrency: ${sizes.join(' / ')} sessions on one agent, a ${chunks}-chunk turn each, capped at ${capMs / 1000} s a run`);
    for (const agent of AGENTS) {
      const gaveUp = new Map();
      for (const sessions of sizes) {
        for (const client of CLIENTS) {
          const skippedAt = gaveUp.get(client.key);
          if (skippedAt !== undefined) {
            results.push({ agent: agent.key, sessions, client: client.key, skipped: `timed out at ${skippedAt} sessions` });
            continue;
          }
          const config = { ...client.config, agent: agent.key, sessions, chunks, capMs, provider: endpoint.byokProvider() };
          // Creating 200 sessions on the CLI took 41 s in the run: the process gets that on top of the cap.
          const result = await runVariantProcess('concurrency', config, { pin: false, timeoutMs: capMs + 180_000 });
          results.push({ agent: agent.key, sessions, client: client.key, ...result });
          if (result.error || result.timedOut) gaveUp.set(client.key, sessions);
          log(`  ${agent.key} ${sessions} ${client.key}: ${describe(result)}`);
        }
      }
    }
  } finally {
    await endpoint.close();
  }
  const ratios = concurrencyRatios(results, sizes);
  const everyEndedOnce = results.filter((r) => !r.skipped && !r.error && !r.timedOut).every((r) => r.turnsEnded === r.sessions && r.intactTurns === r.sessions && r.endedTwice === 0);
  return {
    key: 'concurrency',
    title: '6. Concurrency: many sessions on one agent process',
    setup:
      `N sessions on one agent process (fresh sandbox per run, stdio, scripted model endpoint, route B), all created at once, ` +
      `then one "[[chunks ${chunks}]]" turn on every session, all sent at once. Create: first session.create to last answer. ` +
      `All turns: first send to the last turn's end; a run is capped at ${capMs / 1000} s (then "timeout: k/N" ended). Agent CPU: ` +
      'CPU time of the agent process tree during the turns over their wall time (100% = one core). RSS: the agent tree\'s peak; heap: ' +
      'the client process\'s peak heapUsed. Intact: turns that ended exactly once with their streamed text equal to their final ' +
      'assistant.message. One run per cell (a run of the CLI at 25 sessions takes a minute); other load on the machine shows.',
    head: ['agent', 'sessions', 'client', 'create (s)', 'all turns (s)', 'intact turns', 'agent CPU', 'agent peak RSS (MB)', 'client peak heap (MB)'],
    rows: results.map((r) => [
      AGENTS.find((a) => a.key === r.agent).label,
      fmt(r.sessions),
      CLIENTS.find((c) => c.key === r.client).label,
      ...cells(r),
    ]),
    ratios,
    targets: [
      {
        target: 'under load nothing is lost: every finished run ended every turn exactly once, its text equal to its final message',
        value: everyEndedOnce ? 'all runs' : 'see the table',
        met: everyEndedOnce,
      },
    ],
    raw: { runs: results },
  };
}

function cells(r) {
  if (r.skipped) return ['skipped', r.skipped, '', '', '', ''];
  if (r.error) return ['failed', r.error.split('\n')[0], '', '', '', ''];
  return [
    fmt(r.createMs / 1000, 1),
    r.timedOut ? `timeout: ${r.turnsEnded}/${r.sessions} ended in ${r.capMs / 1000}` : fmt(r.turnsMs / 1000, 1),
    `${r.intactTurns}/${r.sessions}`,
    `${fmt(r.agentCpuPercent)}%`,
    fmt(r.agentPeakRssMB),
    fmt(r.clientPeakHeapMB, 1),
  ];
}

function describe(r) {
  if (r.error) return `FAILED ${r.error.split('\n')[0]}`;
  const turns = r.timedOut ? `TIMEOUT ${r.turnsEnded}/${r.sessions} ended` : `${fmt(r.turnsMs)} ms`;
  return `create ${fmt(r.createMs)} ms, turns ${turns}, intact ${r.intactTurns}, agent ${fmt(r.agentCpuPercent)}% ${fmt(r.agentPeakRssMB)} MB, heap ${fmt(r.clientPeakHeapMB, 1)} MB`;
}

/**
 * The summary lines, from the runs alone (so a saved results.json can be re-summarized). A pair where
 * either run did not end every turn within the cap is compared by how many turns ended, not by time.
 */
export function concurrencyRatios(results, sizes = [...new Set(results.map((r) => r.sessions))]) {
  const find = (agent, sessions, client) => results.find((r) => r.agent === agent && r.sessions === sessions && r.client === client);
  const compare = (a, b, what) => {
    if (!a || !b || a.skipped || b.skipped || a.error || b.error) return `${what}: not measured (skipped after an earlier timeout)`;
    if (a.timedOut || b.timedOut) return `${what}: ${a.turnsEnded}/${a.sessions} vs ${b.turnsEnded}/${b.sessions} turns ended within the ${a.capMs / 1000} s cap`;
    return `${what}: ${times(a.turnsMs / b.turnsMs)} the time (${fmt(a.turnsMs / 1000, 1)} vs ${fmt(b.turnsMs / 1000, 1)} s)`;
  };
  const ratios = [];
  for (const agent of AGENTS) {
    for (const sessions of new Set([25, sizes.at(-1)])) {
      const at = `${agent.label}, ${sessions} sessions, all turns`;
      ratios.push(compare(find(agent.key, sessions, 'rx'), find(agent.key, sessions, 'sdk'), `${at}, copilot-rx vs official SDK`));
      ratios.push(compare(find(agent.key, sessions, 'rx-bounded'), find(agent.key, sessions, 'rx'), `${at}, copilot-rx bounded vs unbounded`));
    }
  }
  for (const sessions of [10, 25]) {
    ratios.push(compare(find('cli', sessions, 'rx'), find('sdk-runtime', sessions, 'rx'), `copilot-rx, ${sessions} sessions, all turns, CLI binary vs SDK runtime`));
  }
  return ratios;
}
