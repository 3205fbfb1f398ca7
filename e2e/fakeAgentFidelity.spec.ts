/**
 * The fake agent against the real CLI, live: the same prompts, sent by core's CopilotRxClient to the
 * real Copilot CLI (route B, streaming from the scripted model endpoint) and to the fake agent's bin,
 * give the same sequence of session event types, from `session.create` to the shutdown of
 * `session.destroy`, once the noise below is filtered out. transcriptFidelity.spec.ts checks the fake
 * against recorded traffic; this checks it against the CLI as installed today. The differences that
 * remain (data, not types) are listed in packages/testing/README.md, "Fidelity".
 */
import * as t from 'io-ts';
import { lastValueFrom, toArray } from 'rxjs';
import { approveAll, defineTool, type SessionConfig, type SessionEvent } from '@copilot-rx/core';
import { startBackend, type Backend } from './support/backends';

jest.setTimeout(90_000);

/**
 * Events no client relies on, which the fake does not send, each for a reason:
 * - `model.*`: the CLI's trace of its own model calls (started, log, response, snapshot...); most are
 *   not even in the CLI's published schema (core decodes them as `unknown`).
 * - `session.mcp_*`, `session.skills_loaded`: the CLI loading its built-in GitHub MCP server and the
 *   skills in its config directory, which describe the machine, not the session.
 * - `session.indexed_search`: code-search indexing of the working directory; the CLI sends it in some
 *   runs and not in others (a race with the first turn), so it cannot be compared exactly.
 * - `session.info`: here the note "Disabled tools: bash, create, ..." about the CLI's built-in tools,
 *   which `availableTools` switches off; the fake has no built-in tools to report.
 * The filtered events are all ephemeral, and their place among the others varies between runs.
 */
function isNoise(type: string): boolean {
  return /^(model\.|session\.mcp_)/.test(type) || ['session.skills_loaded', 'session.indexed_search', 'session.info'].includes(type);
}

/** An event's wire type (core reports types its schema lacks as `unknown` with the `rawType`). */
const wireType = (event: SessionEvent) => (event.type === 'unknown' ? event.rawType : event.type);

/** Runs one prompt on a new session and returns every event type of that session, create to destroy. */
async function eventTypes(backend: Backend, prompt: string, config: SessionConfig = {}): Promise<string[]> {
  const seen: { sessionId: string; type: string }[] = [];
  // Subscribed before the session exists: the CLI sends `session.start` before answering `session.create`.
  const all = backend.client.events$.subscribe(({ sessionId, event }) => seen.push({ sessionId, type: wireType(event) }));
  try {
    const session = await backend.client.createSession(backend.sessionConfig(config));
    await lastValueFrom(session.send(prompt).pipe(toArray()));
    await session.destroy();
    return seen.filter((entry) => entry.sessionId === session.id).map((entry) => entry.type);
  } finally {
    all.unsubscribe();
  }
}

const weatherTool = () =>
  defineTool({
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    args: t.type({ city: t.string }),
    handler: ({ city }) => `Sunny in ${city}, 21C`,
  });

describe('the fake agent emits the real CLI\'s event types', () => {
  let real: Backend;
  let fake: Backend;
  beforeAll(async () => {
    [real, fake] = await Promise.all([startBackend('real-stdio'), startBackend('fake-stdio')]);
  });
  afterAll(async () => {
    await Promise.all([real?.dispose(), fake?.dispose()]);
  });

  it.each([
    ['a plain streamed answer', 'Say hello [[chunks 5]]', () => ({})],
    ['a tool call with permission approved', 'Weather? [[tool get_weather {"city":"Paris"}]]', () => ({ tools: [weatherTool()], onPermissionRequest: approveAll })],
  ])('for %s', async (_name, prompt, config) => {
    const [fromReal, fromFake] = await Promise.all([eventTypes(real, prompt, config()), eventTypes(fake, prompt, config())]);
    // The filter must not hollow the comparison out: the real CLI did send noise, and a whole turn remains.
    expect(fromReal.some(isNoise)).toBe(true);
    expect(fromFake.filter(isNoise)).toEqual([]);
    expect(fromReal.filter((type) => !isNoise(type))).toEqual(fromFake);
    expect(fromFake).toEqual(expect.arrayContaining(['session.start', 'assistant.message_delta', 'assistant.message', 'session.idle', 'session.shutdown']));
  });
});
