/**
 * The official `@github/copilot-sdk` (1.0.14) against the fake agent over TCP: the SDK's own client,
 * sessions and handlers, not copilot-rx's, complete a streamed turn and a tool call with permission.
 * It proves the fake speaks what the SDK relies on (the handshake with a connection token, session
 * ids chosen by the client, broadcast permission and tool requests, `session.idle` ending
 * `sendAndWait`). The SDK attaches to the fake's port (`RuntimeConnection.forUri`), so it must spawn
 * nothing: neither its bundled runtime nor a CLI; a spy on child_process holds it to that.
 *
 * jest loads the SDK's CommonJS build (its package maps `require` to dist/cjs), so no ESM loader is needed.
 */
import childProcess from 'node:child_process';
import { approveAll, CopilotClient, defineTool, RuntimeConnection, type SessionEvent } from '@github/copilot-sdk';
import { derivedAnswerChunks } from '../modelEndpoint/answerText';
import { FakeCopilotAgent } from './FakeCopilotAgent';
import type { FakeAgentServer } from './transports/tcp';

const TOKEN = 'official-sdk-connection-token';

let agent: FakeCopilotAgent;
let server: FakeAgentServer;
let client: CopilotClient;
const spawned = ['spawn', 'fork', 'execFile', 'exec'].map((name) => jest.spyOn(childProcess, name as 'spawn'));

beforeAll(async () => {
  agent = new FakeCopilotAgent({ connectionToken: TOKEN });
  server = await agent.listen();
  client = new CopilotClient({ connection: RuntimeConnection.forUri(`http://127.0.0.1:${server.port}`, { connectionToken: TOKEN }) });
  await client.start();
});

afterAll(async () => {
  const errors = await client?.stop();
  await server?.close();
  await agent?.close();
  expect(errors ?? []).toEqual([]);
  for (const spy of spawned) spy.mockRestore();
});

afterEach(() => {
  for (const spy of spawned) expect(spy).not.toHaveBeenCalled();
});

it('streams a turn: the SDK\'s deltas add up to the message sendAndWait resolves with', async () => {
  const session = await client.createSession({ streaming: true, onPermissionRequest: approveAll });
  const deltas: string[] = [];
  session.on('assistant.message_delta', (event) => deltas.push(event.data.deltaContent));
  const prompt = 'Count for me [[chunks 12]]';

  const answer = await session.sendAndWait({ prompt });

  expect(deltas).toHaveLength(12);
  expect(answer?.data.content).toBe(derivedAnswerChunks(prompt, 12).join(''));
  expect(deltas.join('')).toBe(answer?.data.content);
  await session.disconnect();
});

it('runs an SDK tool after approveAll grants the permission, and the result reaches the follow-up answer', async () => {
  const calls: unknown[] = [];
  const weather = defineTool('get_weather', {
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    handler: (args) => {
      calls.push(args);
      return 'Sunny in Paris, 21C';
    },
  });
  const session = await client.createSession({ streaming: true, tools: [weather], onPermissionRequest: approveAll });
  const events: SessionEvent[] = [];
  session.on((event) => events.push(event));

  const answer = await session.sendAndWait({ prompt: 'Weather? [[tool get_weather {"city":"Paris"}]]' });

  expect(calls).toEqual([{ city: 'Paris' }]);
  const completed = events.find((event) => event.type === 'permission.completed');
  expect(completed?.type === 'permission.completed' && completed.data.result.kind).toBe('approved');
  const executed = events.find((event) => event.type === 'tool.execution_complete');
  expect(executed?.type === 'tool.execution_complete' && executed.data.success).toBe(true);
  expect(answer?.data.content).toBe('Tool get_weather returned: Sunny in Paris, 21C');
  const followUpDeltas = events.flatMap((event) =>
    event.type === 'assistant.message_delta' && event.data.messageId === answer?.data.messageId ? [event.data.deltaContent] : [],
  );
  expect(followUpDeltas.join('')).toBe(answer?.data.content);
  await session.disconnect();
});
