/**
 * copilot-rx on the official SDK's bundled runtime (`runtime: 'sdk-runtime'`), offline against the
 * scripted model endpoint: a streamed turn, a client tool, and many sessions at once under the client's
 * bound on concurrent turns, where nothing may be lost, duplicated or left hanging.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { CopilotRxClient, approveAll, defineTool, resolveCliPath, type SessionConfig, type SessionEvent, type TurnQueueState } from '@copilot-rx/core';
import { createCliSandbox, startScriptedModelEndpoint, type CliSandbox, type ScriptedModelEndpoint } from '@copilot-rx/testing';
import * as t from 'io-ts';

jest.setTimeout(120_000);

const SESSIONS = 50;
const LIMIT = 8;

let endpoint: ScriptedModelEndpoint;
let sandbox: CliSandbox;
let client: CopilotRxClient;

beforeAll(async () => {
  endpoint = await startScriptedModelEndpoint();
  // The sandbox only isolates HOME, config and temp dirs here: the client finds the runtime itself.
  sandbox = await createCliSandbox({ cliPath: resolveCliPath({ runtime: 'sdk-runtime' }) });
  client = new CopilotRxClient({ runtime: 'sdk-runtime', cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error', maxConcurrentTurns: LIMIT });
  await client.start();
});

afterAll(async () => {
  await client?.stop();
  await endpoint?.close();
  await sandbox?.dispose();
});

const config = (extra: SessionConfig = {}): SessionConfig => ({
  streaming: true,
  model: 'claude-sonnet-4.5',
  provider: endpoint.byokProvider(),
  systemMessage: { mode: 'replace', content: 'You are a test assistant.' },
  availableTools: (extra.tools ?? []).map((tool) => tool.name),
  ...extra,
});

/** The streamed text of the turn's final message, by its messageId, and that final message. */
function streamedAndFinal(events: readonly SessionEvent[]): { streamed: string | undefined; final: string | undefined } {
  const final = [...events].reverse().find((e) => e.type === 'assistant.message');
  if (final?.type !== 'assistant.message') return { streamed: undefined, final: undefined };
  const streamed = events
    .flatMap((e) => (e.type === 'assistant.message_delta' && e.data.messageId === final.data.messageId ? [e.data.deltaContent] : []))
    .join('');
  return { streamed, final: final.data.content };
}

it('spawns the runtime the option names, not the CLI', () => {
  expect(client.state).toMatchObject({ status: 'connected', protocolVersion: 3 });
  const version = client.state.status === 'connected' ? client.state.cliVersion : undefined;
  // The runtime reports the CLI version it was built from, older than the pinned @github/copilot.
  expect(version).not.toBe(require('@github/copilot/package.json').version);
});

it('streams a turn whose deltas add up to the final message', async () => {
  const session = await client.createSession(config());
  const events = await lastValueFrom(session.send('Hello there [[chunks 12]]').pipe(toArray()));
  const deltas = events.filter((e) => e.type === 'assistant.message_delta');
  expect(deltas).toHaveLength(12);
  const { streamed, final } = streamedAndFinal(events);
  expect(streamed).toBe(final);
  expect(events.at(-1)?.type).toBe('session.idle');
  await session.destroy();
});

it('runs a client tool through the permission prompt and back to the model', async () => {
  const weather = defineTool({
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    args: t.type({ city: t.string }),
    handler: ({ city }) => `Sunny in ${city}, 21C`,
  });
  const session = await client.createSession(config({ tools: [weather], onPermissionRequest: approveAll }));
  const events = await lastValueFrom(session.send('Weather? [[tool get_weather {"city":"Paris"}]]').pipe(toArray()));
  const { final } = streamedAndFinal(events);
  expect(final).toContain('Sunny in Paris, 21C');
  await session.destroy();
});

it(`ends each of ${SESSIONS} concurrent turns exactly once, its text equal to its final message, at most ${LIMIT} at a time`, async () => {
  const sessions = await Promise.all(Array.from({ length: SESSIONS }, () => client.createSession(config())));
  const queue: TurnQueueState[] = [];
  const watching = client.turnQueue$.subscribe((state) => queue.push(state));
  const outcomes = await Promise.all(
    sessions.map(
      (session, i) =>
        new Promise<{ events: SessionEvent[]; ends: number; error?: unknown }>((resolve) => {
          const events: SessionEvent[] = [];
          let ends = 0;
          session.send(`Turn ${i} [[chunks 30]]`).subscribe({
            next: (event) => events.push(event),
            error: (error: unknown) => {
              ends++;
              resolve({ events, ends, error });
            },
            complete: () => {
              ends++;
              // Resolved after a turn of the event loop, so a second end (or a late error) would be counted.
              setImmediate(() => resolve({ events, ends }));
            },
          });
        }),
    ),
  );
  watching.unsubscribe();

  for (const outcome of outcomes) {
    expect(outcome.error).toBeUndefined();
    expect(outcome.ends).toBe(1);
    expect(outcome.events.filter((e) => e.type === 'session.idle')).toHaveLength(1);
    const { streamed, final } = streamedAndFinal(outcome.events);
    expect(final).toBeDefined();
    expect(streamed).toBe(final);
  }
  expect(Math.max(...queue.map((s) => s.running))).toBe(LIMIT);
  expect(Math.max(...queue.map((s) => s.queued))).toBeGreaterThan(0);
  expect(queue.at(-1)).toEqual({ running: 0, queued: 0, limit: LIMIT });
  await Promise.all(sessions.map((session) => session.destroy()));
});
