/**
 * Tool definition options, the generic tool failure, hooks and the exit-plan-mode handler on the real
 * Copilot CLI offline (the scripted model endpoint on 127.0.0.1 calls the tools the prompt's markers name).
 */
import { defineTool, type SessionHooks } from '@copilot-rx/core';
import { lastValueFrom, toArray } from 'rxjs';
import { startBackend, type Backend } from '../support/backends';

jest.setTimeout(120_000);

let cli: Backend;
beforeAll(async () => {
  cli = await startBackend('real-stdio');
});
afterAll(async () => {
  await cli?.dispose();
});

/** The texts of the tool results the CLI sent the model, oldest first. */
function toolResultsSentToModel(since: number): string[] {
  return cli
    .endpoint!.requests.slice(since)
    .flatMap((request) => ((request.body as { messages?: { role: string; content: unknown }[] })?.messages ?? []))
    .filter((message) => message.role === 'tool')
    .map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content)));
}

describe('tool options', () => {
  it('refuses a tool named like a built-in one, and runs it in its place with overridesBuiltInTool', async () => {
    const grep = (overridesBuiltInTool: boolean) =>
      defineTool({ name: 'grep', description: 'Search', parameters: { type: 'object', properties: {} }, overridesBuiltInTool, handler: () => 'custom grep ran' });
    const refused = await cli.client.createSession(cli.sessionConfig({ tools: [grep(false)] }));
    await expect(lastValueFrom(refused.send({ prompt: 'Search [[tool grep {"pattern":"x"}]]' }))).rejects.toThrow(/conflicts with a built-in tool/);
    await refused.destroy();

    const session = await cli.client.createSession(cli.sessionConfig({ tools: [grep(true)], onPermissionRequest: () => ({ kind: 'approve-once' }) }));
    const since = cli.endpoint!.requests.length;
    await lastValueFrom(session.send({ prompt: 'Search [[tool grep {"pattern":"x"}]]' }));
    expect(toolResultsSentToModel(since).join('\n')).toContain('custom grep ran');
    await session.destroy();
  });

  it('ends the turn after a successful call of an isTerminal tool, without asking the model again', async () => {
    const finish = defineTool({ name: 'finish_now', isTerminal: true, skipPermission: true, handler: () => 'done' });
    const session = await cli.client.createSession(cli.sessionConfig({ tools: [finish] }));
    const since = cli.endpoint!.requests.length;
    const events = await lastValueFrom(session.send({ prompt: 'Finish [[tool finish_now {}]]' }).pipe(toArray()));
    expect(events.some((event) => event.type === 'tool.execution_complete')).toBe(true);
    const chats = cli.endpoint!.requests.slice(since).filter((request) => request.path.includes('chat/completions'));
    expect(chats).toHaveLength(1);
    await session.destroy();
  });

  it("tells the model only that a failing tool failed, unless it shares the error; the app gets the error either way", async () => {
    const failures: unknown[] = [];
    const subscription = cli.client.answerFailures$.subscribe((failure) => failures.push(failure.error));
    const failing = (name: string, shareErrorWithModel: boolean) =>
      defineTool({ name, skipPermission: true, shareErrorWithModel, handler: () => Promise.reject(new Error(`secret-path /srv/${name}`)) });
    const session = await cli.client.createSession(cli.sessionConfig({ tools: [failing('quiet_tool', false), failing('chatty_tool', true)] }));

    let since = cli.endpoint!.requests.length;
    await lastValueFrom(session.send({ prompt: 'Try [[tool quiet_tool {}]]' }));
    const quiet = toolResultsSentToModel(since).join('\n');
    expect(quiet).toContain("Tool 'quiet_tool' failed");
    expect(quiet).not.toContain('secret-path');

    since = cli.endpoint!.requests.length;
    await lastValueFrom(session.send({ prompt: 'Try [[tool chatty_tool {}]]' }));
    expect(toolResultsSentToModel(since).join('\n')).toContain('secret-path /srv/chatty_tool');
    expect(failures).toEqual([new Error('secret-path /srv/quiet_tool'), new Error('secret-path /srv/chatty_tool')]);
    subscription.unsubscribe();
    await session.destroy();
  });
});

describe('hooks', () => {
  it('calls the installed hooks with the CLI\'s input, and a preToolUse "deny" keeps the tool from running', async () => {
    const seen: string[] = [];
    const ran = jest.fn(() => 'ran');
    const hooks: SessionHooks = {
      onSessionStart: (input) => void seen.push(`sessionStart:${input.source}`),
      onUserPromptSubmitted: async (input) => void seen.push(`userPromptSubmitted:${input.prompt.slice(0, 5)}`),
      onPreToolUse: (input) => {
        seen.push(`preToolUse:${input.toolName}`);
        return { permissionDecision: 'deny', permissionDecisionReason: 'blocked by a hook' };
      },
      onPostToolUse: (input) => void seen.push(`postToolUse:${input.toolName}`),
    };
    const tool = defineTool({ name: 'guarded', skipPermission: true, handler: ran });
    const session = await cli.client.createSession(cli.sessionConfig({ tools: [tool], hooks }));
    const since = cli.endpoint!.requests.length;
    await lastValueFrom(session.send({ prompt: 'Guard [[tool guarded {}]]' }));
    expect(ran).not.toHaveBeenCalled();
    expect(seen).toEqual(expect.arrayContaining(['sessionStart:new', 'userPromptSubmitted:Guard', 'preToolUse:guarded']));
    expect(toolResultsSentToModel(since).join('\n')).toContain('blocked by a hook');
    await session.destroy();
  });

  it('a hook that throws is answered with no output: the turn goes on and the failure is reported', async () => {
    const failures: string[] = [];
    const subscription = cli.client.answerFailures$.subscribe((failure) => failures.push(`${failure.method}:${failure.reason}`));
    const session = await cli.client.createSession(
      cli.sessionConfig({
        hooks: {
          onUserPromptSubmitted: () => {
            throw new Error('hook bug');
          },
        },
      }),
    );
    const events = await lastValueFrom(session.send({ prompt: 'Still answered [[chunks 2]]' }).pipe(toArray()));
    expect(events.some((event) => event.type === 'assistant.message')).toBe(true);
    expect(failures).toContain('hooks.invoke:handler-failed');
    subscription.unsubscribe();
    await session.destroy();
  });
});

describe('permission requests', () => {
  it("give the handler the CLI's decision context: the request's kind and tool, the prompt it would show, and the permission and agent modes", async () => {
    const requests: unknown[] = [];
    const tool = defineTool({ name: 'needs_approval', handler: () => 'approved and ran' });
    const session = await cli.client.createSession(
      cli.sessionConfig({ tools: [tool], onPermissionRequest: (request) => (requests.push(request), { kind: 'approve-once' }) }),
    );
    await lastValueFrom(session.send({ prompt: 'Run [[tool needs_approval {}]]' }));
    expect(requests).toEqual([
      expect.objectContaining({
        requestId: expect.any(String),
        permissionRequest: expect.objectContaining({ kind: 'custom-tool', toolName: 'needs_approval', toolCallId: expect.any(String) }),
        promptRequest: expect.objectContaining({ kind: 'custom-tool', toolName: 'needs_approval' }),
        permissionMode: 'manual',
        agentMode: 'interactive',
      }),
    ]);
    await session.destroy();
  });
});
