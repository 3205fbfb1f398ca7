// Recipe 8, compaction: a long session with infinite sessions and a low threshold, so the CLI
// compacts its history in the background, and compactionStatus() shows it happening.
//
// With `infiniteSessions`, the CLI summarises older messages once the context passes
// `backgroundCompactionThreshold` (a ratio of the model's token limit). Compaction starts during a
// turn and may finish after it (protocol.md 7.4), so compactionStatus() tracks it on its own:
// `compacting`, `stuck` if it takes longer than `stuckAfterMs`, then `idle` with the result.
//
// This runs on the real Copilot CLI offline: the CLI asks the scripted model for the summary like any
// other model call (the demo answers it with one). A threshold of 0.5% of 128k tokens is about 640.
//
//   npm run example -- 08 --turns=6
import { filter, firstValueFrom, lastValueFrom, shareReplay, timeout } from 'rxjs';
import { ofType } from '@copilot-rx/core';
import { compactionStatus } from '@copilot-rx/operators';
import { runRecipe, setting } from './backend.js';

runRecipe(async ({ client, sessionConfig, prompt, mode }) => {
  console.log(`backend: ${mode === 'offline' ? 'the real Copilot CLI, offline' : 'the Copilot service'}`);
  const session = await client.createSession(
    sessionConfig({ infiniteSessions: { enabled: true, backgroundCompactionThreshold: 0.005, bufferExhaustionThreshold: 0.01 } }),
  );
  let compactions = 0;
  // One status for the log and the final wait: shareReplay(1) keeps its latest state.
  const status$ = session.events$.pipe(compactionStatus({ stuckAfterMs: 30_000 }), shareReplay(1));
  status$.subscribe(({ state, trigger, last }) => {
    if (state === 'compacting') console.log(`compaction: compacting (trigger: ${trigger})`);
    else if (state === 'stuck') console.log('compaction: stuck for 30 s');
    else if (last) {
      compactions++;
      console.log(`compaction: ${last.success ? 'done' : 'failed'}, ${last.preCompactionTokens} -> ${last.postCompactionTokens} tokens in ${last.durationMs} ms`);
    }
  });
  session.events$.pipe(ofType('session.usage_info')).subscribe(({ data }) => console.log(`context: ${data.currentTokens} of ${data.tokenLimit} tokens, ${data.messagesLength} messages`));

  const turns = setting('turns', 4);
  const topics = ['Write an essay on reactive streams.', 'Now tell me about testing streams.', 'And how does the protocol frame messages?'];
  for (let turn = 1; turn <= turns; turn++) {
    await lastValueFrom(session.send(prompt(topics[(turn - 1) % topics.length]!)));
    console.log(`turn ${turn}: idle`);
  }
  // The last compaction may still run after the last turn: wait for it, within a bound.
  await firstValueFrom(status$.pipe(filter((s) => s.state === 'idle'), timeout(60_000)));
  console.log(`compactions: ${compactions}`);
  await session.destroy();
});
