// Recipe 6, concurrent sessions: N simulated users, one session each, all streaming at once over one
// CLI process, with each session's own totals.
//
// Each session's events are its own typed sub-stream of the one connection, so the turns interleave
// on the wire and never mix in the app. merge() runs them together; usageTotals() per session gives
// its exact token counts. The client's maxConcurrentTurns (default 8) queues turns beyond that.
//
//   npm run example -- 06 --users=12
import { finalize, from, lastValueFrom, map, mergeMap, reduce, tap, toArray } from 'rxjs';
import { usageTotals } from '@copilot-rx/operators';
import { runRecipe, setting } from './backend.js';

const QUESTIONS = [
  'Explain Observables in two sentences.',
  'How do I stream an answer to a WebSocket client?',
  'How should I test streaming code?',
  'What does TypeScript check, and what not?',
  'How does the Copilot CLI frame its messages?',
];

runRecipe(async ({ client, sessionConfig, prompt }) => {
  const users = setting('users', 5);
  const sessions = await Promise.all(Array.from({ length: users }, () => client.createSession(sessionConfig())));
  const started = Date.now();
  let streaming = 0;
  let mostAtOnce = 0;

  const rows = await lastValueFrom(
    from(sessions).pipe(
      mergeMap((session, i) => {
        // usage comes before the turn's idle, so the row below has the exact figure.
        let outputTokens = 0;
        const usage = session.events$.pipe(usageTotals()).subscribe((totals) => (outputTokens = totals.outputTokens));
        let first = true;
        return session.send(prompt(QUESTIONS[i % QUESTIONS.length]!)).pipe(
          tap((event) => {
            if (event.type === 'assistant.message_delta' && first) {
              first = false;
              mostAtOnce = Math.max(mostAtOnce, ++streaming);
            }
            if (event.type === 'session.idle') streaming--;
          }),
          reduce(
            (row, event) => (event.type === 'assistant.message_delta' ? { ...row, deltas: row.deltas + 1, chars: row.chars + event.data.deltaContent.length } : row),
            { user: i + 1, session: session.id.slice(0, 8), deltas: 0, chars: 0 },
          ),
          map((row) => ({ ...row, outputTokens, ms: Date.now() - started })),
          finalize(() => usage.unsubscribe()),
        );
      }),
      toArray(),
    ),
  );

  for (const row of rows.sort((a, b) => a.user - b.user)) {
    console.log(`user ${row.user} (session ${row.session}): ${row.deltas} deltas, ${row.chars} characters, ${row.outputTokens} output tokens, done after ${row.ms} ms`);
  }
  const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
  console.log(`all ${rows.length} users: ${sum((r) => r.deltas)} deltas, ${sum((r) => r.outputTokens)} output tokens; at most ${mostAtOnce} streaming at once`);
  await Promise.all(sessions.map((session) => session.destroy()));
});
