// Recipe 5, errors: five ways a turn goes wrong, each caught as its own typed error.
//
//   model error        the model endpoint answers HTTP 400   -> SessionError (errorType, statusCode)
//   first-token timeout no token within the limit             -> FirstTokenTimeoutError (operators)
//   inactivity         the stream stalls mid-answer           -> TurnSilenceError (send's silenceTimeoutMs)
//   a tool that throws the turn goes on; the model reads only that the tool failed (an error may
//                      carry paths or secrets; `shareErrorWithModel: true` tells it more), and
//                      answerFailures$ has the whole error
//   the CLI killed     SIGKILL mid-turn                       -> ConnectionClosedError (exit code, signal)
//
// Every error copilot-rx raises has a stable `code`: branch on it (or instanceof), not on messages.
// The first three are scripted by markers, so they run offline only; under --live they are skipped.
import { lastValueFrom, tap } from 'rxjs';
import { ConnectionClosedError, defineTool, SessionError, TurnSilenceError, type RxSession } from '@copilot-rx/core';
import { FirstTokenTimeoutError, firstTokenTimeout, toolCalls } from '@copilot-rx/operators';
import { live, runRecipe } from './backend.js';

/** Runs one turn and prints how it ended: the error's class, code and message. */
async function attempt(label: string, turn: Promise<unknown>): Promise<void> {
  try {
    await turn;
    console.log(`${label}: completed`);
  } catch (error) {
    // The classes to branch on: SessionError, FirstTokenTimeoutError, TurnSilenceError, ConnectionClosedError.
    const known = [SessionError, FirstTokenTimeoutError, TurnSilenceError, ConnectionClosedError].some((type) => error instanceof type);
    const { name, code, message } = error as Error & { code?: string };
    console.log(`${label}: ${known ? '' : 'unexpected '}${name} [${code}] ${message.split('\n')[0]}`);
  }
}

const flakyWeather = defineTool({
  name: 'get_weather',
  description: 'The current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
  handler: () => {
    throw new Error('the weather service is down');
  },
});

runRecipe(async ({ client, sessionConfig, prompt }) => {
  const session: RxSession = await client.createSession(sessionConfig({ tools: [flakyWeather], onPermissionRequest: () => ({ kind: 'approve-once' }) }));
  client.answerFailures$.subscribe((failure) => console.log(`answerFailures$: ${failure.reason} on ${failure.method}: ${String(failure.error)}`));

  if (live) {
    console.log('model error, first-token timeout, inactivity: scripted offline only, skipped under --live');
  } else {
    await attempt('model error', lastValueFrom(session.send(prompt('This turn hits a model error.', '[[http 400]]'))));

    // HTTP 500 with retry-after 5: the CLI waits to retry, and no token comes within a second.
    await attempt(
      'first-token timeout',
      lastValueFrom(session.send(prompt('Answer slowly.', '[[http 500]] [[retry-after 5]]')).pipe(firstTokenTimeout({ timeoutMs: 1000 }))),
    );

    // One chunk, then nothing: the turn fails after 1 s of silence and is aborted on the CLI.
    await attempt('inactivity', lastValueFrom(session.send({ prompt: prompt('Start, then stall.', '[[hang]]'), silenceTimeoutMs: 1000 })));
  }

  const calls = session.events$.pipe(toolCalls()).subscribe((call) => call.status === 'failed' && console.log(`tool failed: ${call.toolName}: ${call.error?.message}`));
  await attempt('a tool that throws', lastValueFrom(session.send(prompt('What is the weather in Oslo?', '[[tool get_weather {"city":"Oslo"}]]'))));
  calls.unsubscribe();

  // Last, since it ends the client: kill the CLI after the third delta of a long answer.
  let deltas = 0;
  await attempt(
    'the CLI killed',
    lastValueFrom(
      session.send(prompt('Write an essay on reactive streams.', '[[chunks 200]] [[pace 20]]')).pipe(
        tap((event) => event.type === 'assistant.message_delta' && ++deltas === 3 && process.kill(client.pid!, 'SIGKILL')),
      ),
    ),
  );
});
