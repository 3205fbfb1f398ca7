/**
 * The recordings `npm run record:transcripts` makes: the raw-* transcripts of fixtures/transcripts, one
 * turn each, with the prompts (and scenario markers of the scripted model endpoint) that produce them.
 * `route` is real-cli.md's route A (`capi`: the CLI's own Copilot API path, logged in with a fake
 * token) or route B (`byok`: a `provider` in `session.create`).
 */

const WEATHER = 'What is the weather in Paris? [[tool get_weather {"city":"Paris"}]]';
/** What the client's get_weather tool answers. */
export const WEATHER_RESULT = 'Sunny in Paris, 21C';

/** How many message deltas the abort scenario lets through before it sends `session.abort`. */
export const DELTAS_BEFORE_ABORT = 5;

export const SCENARIOS = [
  { name: 'raw-capi-plain', route: 'capi', prompt: 'Say hello' },
  { name: 'raw-capi-tool', route: 'capi', prompt: WEATHER },
  // 200 chunks 50 ms apart: the abort lands mid-stream, long before the answer could end.
  { name: 'raw-capi-abort', route: 'capi', prompt: 'Stream slowly [[chunks 200]] [[pace 50]]', abortAfterDeltas: DELTAS_BEFORE_ABORT },
  { name: 'raw-capi-http400', route: 'capi', prompt: 'Trigger a client error [[http 400]]' },
  // Six attempts with the CLI's own back-off (about 15 s) before session.error.
  { name: 'raw-capi-http500', route: 'capi', prompt: 'Trigger a server error [[http 500]]', turnTimeoutMs: 90_000 },
  // As fast as the endpoint can write: about 10,000 notifications in one turn.
  { name: 'raw-capi-chunks-5000', route: 'capi', prompt: 'Flood me [[chunks 5000]]', turnTimeoutMs: 90_000 },
  { name: 'raw-byok-plain', route: 'byok', prompt: 'Say hello' },
  { name: 'raw-byok-tool', route: 'byok', prompt: WEATHER },
  // Each of the six attempts streams a little and is cut, so the partial text comes six times.
  { name: 'raw-byok-cut', route: 'byok', prompt: 'Trigger a dropped connection [[cut]]', turnTimeoutMs: 90_000 },
];

/** The client tool every recorded session declares (as the recordings made with the official SDK do). */
export const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Get the current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
