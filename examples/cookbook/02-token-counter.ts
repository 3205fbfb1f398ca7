// Recipe 2, token counter: a live estimate while the answer streams, then the exact usage and cost
// the CLI reports, and the stream's pace in tokens per second.
//
// countTokens() tokenizes the deltas as they come (o200k, loaded on first use) and reconciles with
// `assistant.usage` when it arrives; usageTotals() sums the exact figures; streamMetrics() measures
// time to first token and tokens per second. All three read the same hot events$ of the session.
import { combineLatest, lastValueFrom, last } from 'rxjs';
import { countTokens, streamMetrics, usageTotals } from '@copilot-rx/operators';
import { runRecipe } from './backend.js';

runRecipe(async ({ client, sessionConfig, prompt }) => {
  const session = await client.createSession(sessionConfig());
  // Subscribed before the send, so no event of the turn is missed (events$ is hot).
  // At most one count every 250 ms (the first at once, the latest at the end): a status line's pace.
  const tokens$ = session.events$.pipe(countTokens({ throttleMs: 250 }));
  const live = tokens$.subscribe(({ estimatedOutputTokens, exact }) => !exact && console.log(`streaming: ~${estimatedOutputTokens} tokens so far`));
  const final = lastValueFrom(combineLatest([tokens$, session.events$.pipe(usageTotals()), session.events$.pipe(streamMetrics())]).pipe(last()), {
    defaultValue: undefined,
  });

  await lastValueFrom(session.send(prompt('Write an essay on reactive streams.')));
  live.unsubscribe();
  // The session's events$ completes at destroy, which ends the three counters with their last values.
  await session.destroy();

  const [count, usage, metrics] = (await final) ?? [];
  if (!count || !usage || !metrics) throw new Error('the turn ended without usage figures');
  console.log(`estimate: ${count.estimatedOutputTokens} output tokens (tokenized on this side)`);
  console.log(`exact: ${usage.inputTokens} input + ${usage.outputTokens} output = ${usage.totalTokens} tokens, cost ${usage.cost} premium requests, ${usage.calls} model call(s)`);
  console.log(`pace: first token after ${metrics.timeToFirstTokenMs ?? '?'} ms, ${metrics.deltas} deltas, ${(metrics.tokensPerSecond ?? 0).toFixed(1)} tokens/s`);
});
