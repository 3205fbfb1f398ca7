/**
 * 7. Soak (`npm run soak`, not part of `npm run bench` nor `npm test`): heap and RSS over a long run
 * of real turns on one agent process, and whether any streamed character was lost or duplicated.
 * Flags: --agent=sdk-runtime|cli (default sdk-runtime: the CLI binary needs minutes for the concurrent
 * rounds), --turns=N sequential turns, --sessions=N concurrent sessions a round, --rounds=N.
 */
import { DEFAULT_MAX_CONCURRENT_TURNS } from '@copilot-rx/core';
import { startScriptedModelEndpoint } from '@copilot-rx/testing';
import { fmt } from '../lib/stats.mjs';
import { runVariantProcess } from '../lib/processes.mjs';

export async function soak({ quick, log, args = {} }) {
  const agent = args.agent ?? 'sdk-runtime';
  const settings = {
    agent,
    sequentialTurns: Number(args.turns ?? (quick ? 20 : 1000)),
    concurrentSessions: Number(args.sessions ?? (quick ? 20 : 200)),
    rounds: Number(args.rounds ?? (quick ? 2 : 5)),
    chunks: 50,
    sampleEveryMs: quick ? 2000 : 10_000,
    turnTimeoutMs: 120_000,
  };
  const endpoint = await startScriptedModelEndpoint();
  let result;
  try {
    log(
      `soak on the ${agent}: ${fmt(settings.sequentialTurns)} sequential turns, then ${settings.rounds} rounds of ` +
        `${fmt(settings.concurrentSessions)} concurrent sessions, ${settings.chunks} chunks a turn`,
    );
    result = await runVariantProcess('soak', { ...settings, provider: endpoint.byokProvider() }, { pin: false, timeoutMs: 60 * 60_000 });
  } finally {
    await endpoint.close();
  }
  if (result.error) throw new Error(`the soak run failed: ${result.error}`);
  const { totals, samples } = result;
  const first = samples[0];
  const afterSequential = samples.find((s) => s.phase.startsWith('concurrent')) ?? samples.at(-1);
  const last = samples.at(-1);
  // The table keeps about a dozen samples: the first, every k-th, and the last.
  const step = Math.max(1, Math.ceil(samples.length / 12));
  const shown = samples.filter((_, i) => i % step === 0 || i === samples.length - 1);
  const clean = totals.intact === totals.turns && totals.endedTwice === 0 && totals.failed === 0;
  return {
    key: 'soak',
    title: '7. Soak: many turns on one agent process',
    setup:
      `copilot-rx (default maxConcurrentTurns ${DEFAULT_MAX_CONCURRENT_TURNS}) on the ${agent} ${result.agentVersion ?? ''}, one process for the ` +
      `whole run (scripted model endpoint, route B, stdio): ${fmt(settings.sequentialTurns)} sequential turns on one session, then ` +
      `${settings.rounds} rounds of ${fmt(settings.concurrentSessions)} sessions created at once, one turn each sent at once, destroyed. ` +
      `A "[[chunks ${settings.chunks}]]" answer a turn. Samples every ${settings.sampleEveryMs / 1000} s and after each phase (after a forced GC). ` +
      'Lost / duplicated characters: the streamed text of each turn against its final assistant.message. Run by `npm run soak`.',
    head: ['time (s)', 'phase', 'turns done', 'client heap (MB)', 'client RSS (MB)', 'agent RSS (MB)'],
    rows: shown.map((s) => [fmt(s.seconds), s.phase, fmt(s.turns), fmt(s.clientHeapMB, 1), fmt(s.clientRssMB), fmt(s.agentRssMB)]),
    ratios: [
      `soak: ${fmt(totals.turns)} turns in ${fmt(result.seconds)} s, ${fmt(totals.intact)} intact, ${totals.failed} failed, ${totals.endedTwice} ended twice, ` +
        `${fmt(totals.lostChars)} characters lost, ${fmt(totals.duplicatedChars)} duplicated`,
      `soak: client heap ${fmt(first.clientHeapMB, 1)} → ${fmt(afterSequential.clientHeapMB, 1)} MB after the sequential turns → ${fmt(last.clientHeapMB, 1)} MB at the end; ` +
        `agent RSS ${fmt(first.agentRssMB)} → ${fmt(last.agentRssMB)} MB`,
    ],
    targets: [
      {
        target: 'soak: every turn ends exactly once with its streamed text equal to its final message; nothing lost or duplicated',
        value: `${fmt(totals.intact)}/${fmt(totals.turns)} intact, ${fmt(totals.lostChars)} lost, ${fmt(totals.duplicatedChars)} duplicated`,
        met: clean,
      },
    ],
    notes: totals.firstError ? [`First failure: ${totals.firstError.split('\n')[0]}`] : undefined,
    raw: { runs: [{ ...result, settings }] },
  };
}
