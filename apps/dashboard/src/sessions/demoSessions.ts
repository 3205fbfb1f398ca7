import { describeError } from '../describeError';
import type { SessionManager } from './SessionManager';

/**
 * What runs at start-up, so the page is alive on first load: a long streamed essay with reasoning,
 * a question that calls a tool (it waits for the user's approval in the page), a turn the model
 * endpoint fails with HTTP 400, and a short answer. Offline, the essay and the short answer have no
 * markers, so they get the demo's prose as a user would see it; the `[[...]]` markers script the other
 * two (the live service ignores them).
 */
export const DEMO_SESSIONS: readonly { readonly label: string; readonly prompt: string }[] = [
  { label: 'Streamed essay', prompt: 'Write an essay on reactive streams.' },
  { label: 'Tool use', prompt: 'What is the weather in Paris? [[tool get_weather {"city":"Paris"}]] [[pace 30]]' },
  { label: 'Model error', prompt: 'This turn hits a model error. [[http 400]]' },
  { label: 'Short answer', prompt: 'Say hello in a few words.' },
];

/** Creates the demo sessions together and starts their turns; a failure becomes a line on stderr. */
export async function startDemoSessions(sessions: SessionManager, log: (line: string) => void): Promise<void> {
  await Promise.all(
    DEMO_SESSIONS.map(async ({ label, prompt }) => {
      try {
        sessions.send(await sessions.create({ label }), prompt);
      } catch (error) {
        log(`copilot-rx: the demo session "${label}" could not start: ${describeError(error)}`);
      }
    }),
  );
}
