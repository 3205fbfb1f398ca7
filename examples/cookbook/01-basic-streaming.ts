// Recipe 1, basic streaming: send a prompt, write each delta to stdout as it arrives, stop at idle.
//
// session.send() is a cold Observable of the turn's events: subscribing sends the prompt, and it
// completes after the session's `session.idle`. lastValueFrom waits for that end (and rejects with a
// typed error if the turn fails); unsubscribing early would abort the turn on the CLI.
//
//   npm run example -- 01            offline: the real CLI, the scripted model's demo prose
//   npm run example -- 01 --live     the Copilot service
import { lastValueFrom, tap } from 'rxjs';
import { ofType } from '@copilot-rx/core';
import { runRecipe } from './backend.js';

runRecipe(async ({ client, sessionConfig, prompt }) => {
  const session = await client.createSession(sessionConfig());

  await lastValueFrom(
    session.send(prompt('Explain Observables in two sentences.')).pipe(
      ofType('assistant.message_delta', 'session.idle'),
      tap((event) => {
        if (event.type === 'assistant.message_delta') process.stdout.write(event.data.deltaContent);
        else process.stdout.write('\n[idle]\n');
      }),
    ),
  );

  await session.destroy();
});
