/**
 * Hooks on the fake agent, as core's client meets them, and their fidelity to the real CLI: the hook
 * types come in the order, and with the input fields, that CLI 1.0.102 sent for a turn with a tool call
 * (fixtures/transcripts/cli-1.0.102/parity; `preMcpToolCall` there is for its MCP tool, which the fake's
 * client tool does not have).
 */
import { CopilotRxClient, defineTool, streamTransport, type SessionConfig, type SessionEvent, type SessionHooks } from '@copilot-rx/core';
import { lastValueFrom, toArray } from 'rxjs';
import { readTranscriptRecords } from '../../../../fixtures/transcripts';
import { FakeCopilotAgent } from './FakeCopilotAgent';

async function toolTurn(config: SessionConfig, calls: unknown[]) {
  const agent = new FakeCopilotAgent();
  const client = new CopilotRxClient({ transport: streamTransport(agent.connectInMemory()) });
  await client.start();
  try {
    const tool = defineTool({ name: 'get_weather', skipPermission: true, handler: (args) => (calls.push(args), 'Sunny') });
    const session = await client.createSession({ tools: [tool], ...config });
    return await lastValueFrom(session.send('Weather? [[tool get_weather {"city":"Paris"}]]').pipe(toArray()));
  } finally {
    await client.stop();
  }
}

/** Every hook the client can install, each recording its type and input. */
function recordingHooks(seen: { hookType: string; input: Record<string, unknown> }[]): SessionHooks {
  const record = (hookType: string) => (input: object) => void seen.push({ hookType, input: input as Record<string, unknown> });
  return {
    onSessionStart: record('sessionStart'),
    onUserPromptSubmitted: record('userPromptSubmitted'),
    onPreToolUse: record('preToolUse'),
    onPostToolUse: record('postToolUse'),
    onSessionEnd: record('sessionEnd'),
    onErrorOccurred: record('errorOccurred'),
  };
}

/** The first turn's hooks.invoke requests of the real recording. */
function recordedFirstTurn(): { hookType: string; input: Record<string, unknown> }[] {
  const invocations: { hookType: string; input: Record<string, unknown> }[] = [];
  let sends = 0;
  for (const { dir, msg } of readTranscriptRecords('cli-1.0.102/parity.jsonl')) {
    const message = msg as { method?: string; params?: { hookType: string; input: Record<string, unknown> } };
    if (dir === 'client->cli' && message.method === 'session.send') sends++;
    if (sends === 1 && dir === 'cli->client' && message.method === 'hooks.invoke' && message.params) invocations.push(message.params);
  }
  return invocations.filter((invocation) => invocation.hookType !== 'preMcpToolCall');
}

it('calls the installed hooks in the order and with the input fields of the real CLI', async () => {
  const seen: { hookType: string; input: Record<string, unknown> }[] = [];
  const calls: unknown[] = [];
  const events = await toolTurn({ hooks: recordingHooks(seen) }, calls);
  const recorded = recordedFirstTurn();
  const installed = new Set(['sessionStart', 'userPromptSubmitted', 'preToolUse', 'postToolUse', 'sessionEnd', 'errorOccurred']);
  const shape = (list: { hookType: string; input: Record<string, unknown> }[]) => list.map(({ hookType, input }) => [hookType, Object.keys(input).sort()]);
  expect(shape(seen)).toEqual(shape(recorded.filter(({ hookType }) => installed.has(hookType))));
  expect(calls).toEqual([{ city: 'Paris' }]);
  // Every invocation, installed or not, is framed by hook.start and hook.end, as on the CLI.
  const framed = events.filter((event) => event.type === 'hook.start').map((event) => (event.data as { hookType: string }).hookType);
  expect(framed).toEqual(recorded.map(({ hookType }) => hookType));
});

it('stops a tool a preToolUse hook denies, before it runs, with the reason for the model', async () => {
  const calls: unknown[] = [];
  const events = await toolTurn({ hooks: { onPreToolUse: () => ({ permissionDecision: 'deny', permissionDecisionReason: 'no weather today' }) } }, calls);
  expect(calls).toEqual([]);
  const complete = events.find((event): event is Extract<SessionEvent, { type: 'tool.execution_complete' }> => event.type === 'tool.execution_complete');
  expect(complete?.data).toMatchObject({ success: false, error: { message: 'no weather today' } });
});

it('calls no hook of a client that installed none', async () => {
  const events = await toolTurn({}, []);
  expect(events.some((event) => event.type.startsWith('hook.'))).toBe(false);
});
