import { FakeCopilotAgent } from './FakeCopilotAgent';
import type { RpcTestClient } from './testSupport/RpcTestClient';
import { dataOf, ofType, openSession, types } from './testSupport/session';
import { callTool, reply, turn } from './turns/dsl';

const WEATHER_PROMPT = 'What is the weather in Paris? [[tool get_weather {"city":"Paris"}]]';

async function permissionRequestId(client: RpcTestClient): Promise<string> {
  return dataOf(await client.waitForEvent('permission.requested'))['requestId'] as string;
}

async function toolRequestId(client: RpcTestClient): Promise<string> {
  return dataOf(await client.waitForEvent('external_tool.requested'))['requestId'] as string;
}

describe('FakeCopilotAgent tool calls and permissions', () => {
  it('runs a client tool with an approved permission in the order the CLI does (protocol.md §7.2)', async () => {
    const { client, sessionId } = await openSession(new FakeCopilotAgent());
    await client.request('session.send', { sessionId, prompt: WEATHER_PROMPT });

    const permission = await client.waitForEvent('permission.requested');
    expect(dataOf(permission)).toMatchObject({
      permissionRequest: { kind: 'custom-tool', toolCallId: 'call_fake_1', toolName: 'get_weather', toolDescription: 'Get the current weather for a city', args: { city: 'Paris' } },
    });
    const approve = { sessionId, requestId: dataOf(permission)['requestId'], result: { kind: 'approve-once' } };
    await expect(client.request('session.permissions.handlePendingPermissionRequest', approve)).resolves.toEqual({ success: true });

    const requestId = await toolRequestId(client);
    await expect(client.request('session.tools.handlePendingToolCall', { sessionId, requestId, result: 'Sunny in Paris, 21C' })).resolves.toEqual({ success: true });
    await client.waitForEvent('session.idle');

    expect(client.outline((line) => /permission|external_tool|tool\.execution|handlePending/.test(line))).toEqual([
      'E tool.execution_start',
      'E permission.requested',
      'E permission.completed',
      'R session.permissions.handlePendingPermissionRequest',
      'E external_tool.requested',
      'E external_tool.completed',
      'R session.tools.handlePendingToolCall',
      'E tool.execution_complete',
    ]);
    const events = client.events(sessionId);
    expect(dataOf(ofType(events, 'permission.completed')[0])).toEqual({ requestId: approve.requestId, toolCallId: 'call_fake_1', result: { kind: 'approved' } });
    expect(dataOf(ofType(events, 'external_tool.requested')[0])).toMatchObject({ sessionId, toolCallId: 'call_fake_1', toolName: 'get_weather', arguments: { city: 'Paris' }, workingDirectory: '/workspace' });
    expect(dataOf(ofType(events, 'tool.execution_complete')[0])).toMatchObject({ toolCallId: 'call_fake_1', success: true, result: { content: 'Sunny in Paris, 21C' } });
    expect(dataOf(ofType(events, 'assistant.message')[0])).toMatchObject({
      content: '',
      toolRequests: [{ toolCallId: 'call_fake_1', name: 'get_weather', arguments: { city: 'Paris' }, type: 'function' }],
    });
    expect(dataOf(ofType(events, 'assistant.message')[1])['content']).toBe('Tool get_weather returned: Sunny in Paris, 21C');
    expect(ofType(events, 'assistant.turn_start').map((event) => dataOf(event)['turnId'])).toEqual(['0', '1']);
  });

  it.each([
    ['reject', 'denied-interactively-by-user', { message: 'The user rejected this tool call.', code: 'rejected' }],
    ['user-not-available', 'denied-no-approval-rule-and-could-not-request-from-user', { message: 'Permission denied and could not request permission from user', code: 'denied' }],
  ])('maps a %s decision to %s and fails the tool without calling the client', async (decision, outcome, error) => {
    const { client, sessionId } = await openSession(new FakeCopilotAgent());
    await client.request('session.send', { sessionId, prompt: WEATHER_PROMPT });
    const requestId = await permissionRequestId(client);
    await client.request('session.permissions.handlePendingPermissionRequest', { sessionId, requestId, result: { kind: decision } });
    await client.waitForEvent('session.idle');
    const events = client.events(sessionId);
    expect(dataOf(ofType(events, 'permission.completed')[0])['result']).toEqual({ kind: outcome });
    expect(types(events)).not.toContain('external_tool.requested');
    expect(dataOf(ofType(events, 'tool.execution_complete')[0])).toMatchObject({ success: false, error });
    expect(dataOf(ofType(events, 'assistant.message')[1])['content']).toBe(`Tool get_weather returned: ${error.message}`);
  });

  it('passes a rejection\'s feedback on to the model and records the call as denied, as CLI 1.0.102 does', async () => {
    const { client, sessionId } = await openSession(new FakeCopilotAgent());
    await client.request('session.send', { sessionId, prompt: WEATHER_PROMPT });
    const requestId = await permissionRequestId(client);
    await client.request('session.permissions.handlePendingPermissionRequest', { sessionId, requestId, result: { kind: 'reject', feedback: 'Not today.' } });
    await client.waitForEvent('session.idle');
    const events = client.events(sessionId);
    const message = 'The user rejected this tool call. User feedback: Not today.';
    expect(dataOf(ofType(events, 'permission.completed')[0])['result']).toEqual({ kind: 'denied-interactively-by-user' });
    expect(dataOf(ofType(events, 'tool.execution_complete')[0])).toMatchObject({ success: false, error: { message, code: 'denied' } });
    expect(dataOf(ofType(events, 'assistant.message')[1])['content']).toBe(`Tool get_weather returned: ${message}`);
  });

  it('denies a tool that needs permission when the session did not ask for permission requests', async () => {
    const { client, sessionId } = await openSession(new FakeCopilotAgent(), { requestPermission: false });
    await client.request('session.send', { sessionId, prompt: WEATHER_PROMPT });
    await client.waitForEvent('session.idle');
    const events = client.events(sessionId);
    expect(types(events).filter((type) => type.startsWith('permission') || type.startsWith('external_tool'))).toEqual([]);
    expect(dataOf(ofType(events, 'tool.execution_complete')[0])).toMatchObject({
      success: false,
      error: { message: 'Permission denied and could not request permission from user', code: 'denied' },
    });
  });

  it('skips the prompt for a tool declared with skipPermission', async () => {
    const tools = [{ name: 'get_weather', skipPermission: true }];
    const { client, sessionId } = await openSession(new FakeCopilotAgent(), { tools });
    await client.request('session.send', { sessionId, prompt: WEATHER_PROMPT });
    const requestId = await toolRequestId(client);
    await client.request('session.tools.handlePendingToolCall', { sessionId, requestId, result: 'Rain' });
    await client.waitForEvent('session.idle');
    expect(types(client.events(sessionId)).filter((type) => /^(tool|permission|external)/.test(type))).toEqual([
      'tool.execution_start',
      'external_tool.requested',
      'external_tool.completed',
      'tool.execution_complete',
    ]);
  });

  it('records a failing client tool as "Tool execution failed", hiding the handler message', async () => {
    const { client, sessionId } = await openSession(new FakeCopilotAgent(), { tools: [{ name: 'get_weather', skipPermission: true }] });
    await client.request('session.send', { sessionId, prompt: WEATHER_PROMPT });
    const requestId = await toolRequestId(client);
    await client.request('session.tools.handlePendingToolCall', { sessionId, requestId, error: 'Melbourne' });
    await client.waitForEvent('session.idle');
    const complete = dataOf(ofType(client.events(sessionId), 'tool.execution_complete')[0]);
    expect(complete).toMatchObject({ success: false, error: { message: 'Tool execution failed', code: 'failure' } });
    expect(JSON.stringify(client.events(sessionId))).not.toContain('Melbourne');
  });

  it('takes a structured result, failing the call when its resultType is not success', async () => {
    const { client, sessionId } = await openSession(new FakeCopilotAgent(), { tools: [{ name: 'get_weather', skipPermission: true }] });
    await client.request('session.send', { sessionId, prompt: WEATHER_PROMPT });
    const requestId = await toolRequestId(client);
    await client.request('session.tools.handlePendingToolCall', { sessionId, requestId, result: { textResultForLlm: 'no such city', resultType: 'rejected' } });
    await client.waitForEvent('session.idle');
    expect(dataOf(ofType(client.events(sessionId), 'tool.execution_complete')[0])).toMatchObject({ success: false, error: { message: 'no such city', code: 'rejected' } });
  });

  it('rejects a malformed answer with -32602 and keeps the request pending', async () => {
    const { client, sessionId } = await openSession(new FakeCopilotAgent());
    await client.request('session.send', { sessionId, prompt: WEATHER_PROMPT });
    const requestId = await permissionRequestId(client);
    await expect(client.request('session.permissions.handlePendingPermissionRequest', { sessionId, requestId, result: { kind: 'maybe' } })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/^Invalid params for session\.permissions\.handlePendingPermissionRequest: unknown result\.kind "maybe"; expected one of approve-once/),
    });
    await expect(client.request('session.permissions.handlePendingPermissionRequest', { sessionId, requestId, result: { kind: 'approve-once' } })).resolves.toEqual({ success: true });
  });

  it('answers {success:false} for an unknown or already answered request', async () => {
    const { client, sessionId } = await openSession(new FakeCopilotAgent());
    await client.request('session.send', { sessionId, prompt: WEATHER_PROMPT });
    const requestId = await permissionRequestId(client);
    const answer = { sessionId, requestId, result: { kind: 'approve-once' } };
    await expect(client.request('session.tools.handlePendingToolCall', { sessionId, requestId, result: 'x' })).resolves.toEqual({ success: false });
    await expect(client.request('session.permissions.handlePendingPermissionRequest', answer)).resolves.toEqual({ success: true });
    await expect(client.request('session.permissions.handlePendingPermissionRequest', answer)).resolves.toEqual({ success: false });
  });

  it('runs a scripted built-in tool with progress and partial output, without asking the client', async () => {
    const agent = new FakeCopilotAgent().enqueue(
      turn([callTool('bash', { command: 'ls' }, { builtIn: { result: 'a\nb', progress: ['listing'], partialOutput: ['a\n', 'b'] } }), reply('Two files.')]),
    );
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'list files' });
    await client.waitForEvent('session.idle');
    expect(types(client.events(sessionId)).filter((type) => type.startsWith('tool.') || type.startsWith('permission') || type.startsWith('external'))).toEqual([
      'tool.execution_start',
      'tool.execution_progress',
      'tool.execution_partial_result',
      'tool.execution_partial_result',
      'tool.execution_complete',
    ]);
  });

  it("fails a tool the client did not declare, as the CLI does for an unknown tool", async () => {
    const agent = new FakeCopilotAgent().enqueue(turn([callTool('report_intent', { intent: 'x' }), reply('ok')]));
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'go' });
    await client.waitForEvent('session.idle');
    expect(dataOf(ofType(client.events(sessionId), 'tool.execution_complete')[0])).toMatchObject({
      success: false,
      error: { message: "Tool 'report_intent' does not exist.", code: 'failure' },
    });
  });
});
