/**
 * The official SDK's features as copilot-rx exposes them, against the in-memory FakeCli: what goes on
 * the wire, how answers are decoded, and the safe answer when an app's handler fails.
 */
import { firstValueFrom, of, throwError, NEVER } from 'rxjs';
import { CopilotRxClient, type SessionOptions } from '../client/CopilotRxClient';
import { HandlerTimeoutError, InvalidHandlerAnswerError, ResponseDecodeError } from '../errors';
import { FakeCli } from '../testSupport/fakeCli';
import type { AnswerFailure } from '../session/host';
import { defineTool, genericToolFailure } from '../session/tools';
import { RequestRefusedError } from './unlistedMethods';

interface ListModelsOptions {
  readonly onListModels?: (context: { signal: AbortSignal }) => unknown;
  readonly listModelsTimeoutMs?: number;
}

async function setup(config: SessionOptions = {}, clientOptions: ListModelsOptions = {}) {
  const cli = new FakeCli();
  cli.handle('session.eventLog.registerInterest', () => ({ handle: 'interest-1' }));
  const client = new CopilotRxClient({ transport: cli.transport(), ...(clientOptions as object) });
  await client.start();
  const failures: AnswerFailure[] = [];
  client.answerFailures$.subscribe((failure) => failures.push(failure));
  const session = await client.createSession(config);
  return { cli, client, session, id: session.id, failures };
}

const MODEL = { id: 'm1', name: 'Model One', capabilities: { supports: {}, limits: {} } };

describe('session management', () => {
  it('lists, reads, deletes and finds sessions through the schema methods, unwrapping their answers', async () => {
    const { cli, client } = await setup();
    const entry = { sessionId: 's1', startTime: 'a', modifiedTime: 'b', isRemote: false };
    cli.handle('sessions.list', () => ({ sessions: [entry] }));
    cli.handle('sessions.getMetadata', (params) => (params['sessionId'] === 's1' ? { session: entry } : {}));
    cli.handle('sessions.getLastForContext', () => ({ sessionId: 's1' }));
    cli.handle('sessions.delete', () => ({}));
    await expect(client.listSessions({ repository: 'o/r' })).resolves.toEqual([entry]);
    expect(cli.requestsOf('sessions.list')[0]?.params).toEqual({ filter: { repository: 'o/r' } });
    await expect(client.getSessionMetadata('s1')).resolves.toEqual(entry);
    await expect(client.getSessionMetadata('nope')).resolves.toBeUndefined();
    await expect(firstValueFrom(client.getLastSessionId.$())).resolves.toBe('s1');
    await expect(client.deleteSession('s1')).resolves.toBeUndefined();
    expect(cli.requestsOf('sessions.delete')[0]?.params).toEqual({ sessionId: 's1' });
    await client.stop();
  });

  it('releases a deleted session attached on this client: its events$ completes', async () => {
    const { cli, client, session } = await setup();
    cli.handle('sessions.delete', () => ({}));
    let completed = false;
    session.events$.subscribe({ complete: () => (completed = true) });
    await client.deleteSession(session.id);
    expect(completed).toBe(true);
    await client.stop();
  });

  it('reads the foreground session and refuses a set the CLI refused, with its reason', async () => {
    const { cli, client } = await setup();
    cli.handle('session.getForeground', () => ({}));
    cli.handle('session.setForeground', () => ({ success: false, error: 'Not running in TUI+server mode' }));
    await expect(client.getForegroundSessionId()).resolves.toBeUndefined();
    const refused = client.setForegroundSessionId('s1');
    await expect(refused).rejects.toBeInstanceOf(RequestRefusedError);
    await expect(refused).rejects.toThrow('Not running in TUI+server mode');
    await client.stop();
  });

  it('resuming a session attached on this client replaces the attachment instead of throwing', async () => {
    const { cli, client, session } = await setup();
    let completed = false;
    session.events$.subscribe({ complete: () => (completed = true) });
    const again = await client.resumeSession(session.id);
    expect(again).not.toBe(session);
    expect(completed).toBe(true);
    const seen = firstValueFrom(again.events$);
    cli.emit(session.id, 'session.info', { infoType: 'x', message: 'to the new attachment' });
    await expect(seen).resolves.toMatchObject({ type: 'session.info' });
    await client.stop();
  });
});

describe('runtime controls', () => {
  it('reads status and auth status, decoded', async () => {
    const { cli, client } = await setup();
    cli.handle('status.get', () => ({ version: '1.0.102', protocolVersion: 3 }));
    cli.handle('auth.getStatus', () => ({ isAuthenticated: false, statusMessage: 'Not authenticated', login: null }));
    await expect(client.getStatus()).resolves.toEqual({ version: '1.0.102', protocolVersion: 3 });
    await expect(firstValueFrom(client.getAuthStatus.$())).resolves.toEqual({ isAuthenticated: false, statusMessage: 'Not authenticated' });
    cli.handle('status.get', () => ({ version: 1 }));
    await expect(client.getStatus()).rejects.toBeInstanceOf(ResponseDecodeError);
    await client.stop();
  });

  it('lists models from the CLI, or from onListModels without asking the CLI, checking what it supplies', async () => {
    const fromCli = await setup();
    fromCli.cli.handle('models.list', () => ({ models: [MODEL] }));
    await expect(fromCli.client.listModels()).resolves.toEqual([MODEL]);
    await fromCli.client.stop();

    const supplied = await setup({}, { onListModels: () => of([MODEL]) });
    await expect(supplied.client.listModels()).resolves.toEqual([MODEL]);
    expect(supplied.cli.requestsOf('models.list')).toHaveLength(0);
    await supplied.client.stop();

    const garbage = await setup({}, { onListModels: async () => [{ id: 7 }] });
    await expect(garbage.client.listModels()).rejects.toBeInstanceOf(InvalidHandlerAnswerError);
    await garbage.client.stop();
  });

  it('fails listModels with HandlerTimeoutError when onListModels misses its deadline, and fires its signal', async () => {
    let signal: AbortSignal | undefined;
    const stuck = await setup({}, {
      onListModels: (context) => {
        signal = context.signal;
        return new Promise(() => undefined);
      },
      listModelsTimeoutMs: 50,
    });
    const failure = await stuck.client.listModels().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HandlerTimeoutError);
    expect(failure).toMatchObject({ handler: 'listModels', timeoutMs: 50 });
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(failure);
    expect(stuck.cli.requestsOf('models.list')).toHaveLength(0);
    await stuck.client.stop();
  });

  it('refuses a listModelsTimeoutMs that is not a positive number of ms, naming it', () => {
    expect(() => new CopilotRxClient({ listModelsTimeoutMs: 0 })).toThrow(
      /listModelsTimeoutMs must be a positive number of milliseconds \(or Infinity\)\. Got 0/,
    );
    expect(() => new CopilotRxClient({ listModelsTimeoutMs: Number.NaN })).toThrow(RangeError);
    expect(() => new CopilotRxClient({ listModelsTimeoutMs: Infinity })).not.toThrow();
  });

  it("switches a session's model with reasoning effort and writes to its log at a level", async () => {
    const { cli, client, session, id } = await setup();
    cli.handle('session.model.switchTo', () => ({ status: 'applied', modelId: 'gpt-5' }));
    cli.handle('session.log', () => ({ eventId: 'ev-1' }));
    await expect(session.switchModel('gpt-5', { reasoningEffort: 'high' })).resolves.toMatchObject({ modelId: 'gpt-5' });
    expect(cli.requestsOf('session.model.switchTo')[0]?.params).toEqual({ sessionId: id, modelId: 'gpt-5', reasoningEffort: 'high' });
    await expect(session.log('disk almost full', { level: 'warning' })).resolves.toBe('ev-1');
    expect(cli.requestsOf('session.log')[0]?.params).toEqual({ sessionId: id, message: 'disk almost full', level: 'warning' });
    await client.stop();
  });
});

describe('tool options', () => {
  it('declares overridesBuiltInTool, isTerminal, defer and metadata, and never the error policy', async () => {
    const tool = defineTool({
      name: 'grep',
      overridesBuiltInTool: true,
      isTerminal: true,
      defer: 'never',
      metadata: { 'x/y': 1 },
      shareErrorWithModel: true,
      handler: () => 'ok',
    });
    const { cli, client } = await setup({ tools: [tool] });
    expect(cli.requestsOf('session.create')[0]?.params?.['tools']).toEqual([
      { name: 'grep', overridesBuiltInTool: true, isTerminal: true, defer: 'never', metadata: { 'x/y': 1 } },
    ]);
    await client.stop();
  });

  it('reports the full error of a failing tool to the app while the model gets the generic text', async () => {
    const { cli, client, id, failures } = await setup({
      tools: [defineTool({ name: 'deploy', handler: () => Promise.reject(new Error('token ghp_secret rejected')) })],
    });
    cli.emit(id, 'external_tool.requested', { requestId: 'r1', sessionId: id, toolCallId: 'c1', toolName: 'deploy', arguments: {} });
    const sent = await cli.nextRequest('session.tools.handlePendingToolCall');
    expect(sent.params?.['result']).toMatchObject({ textResultForLlm: genericToolFailure('deploy') });
    expect(JSON.stringify(sent.params)).not.toContain('ghp_secret');
    expect(failures).toEqual([expect.objectContaining({ reason: 'handler-failed', error: new Error('token ghp_secret rejected') })]);
    await client.stop();
  });
});

describe('hooks', () => {
  const invoke = (cli: FakeCli, sessionId: string, hookType: string, input: object) =>
    cli.request('hooks.invoke', { sessionId, hookType, input: { sessionId, timestamp: 1, cwd: '/w', ...input } });

  it('asks the CLI for hooks only when some are installed', async () => {
    const none = await setup();
    expect(none.cli.requestsOf('session.create')[0]?.params?.['hooks']).toBe(false);
    await none.client.stop();
    const some = await setup({ hooks: { onPreToolUse: () => undefined } });
    expect(some.cli.requestsOf('session.create')[0]?.params?.['hooks']).toBe(true);
    await some.client.stop();
  });

  it('answers with the handler output, from a value, a Promise or an Observable', async () => {
    const { cli, client, id } = await setup({
      hooks: {
        onPreToolUse: (input) => ({ permissionDecision: input.toolName === 'bash' ? 'deny' : 'allow' }),
        onUserPromptSubmitted: async (input) => ({ modifiedPrompt: `${input.prompt}!` }),
        onSessionEnd: () => of({ sessionSummary: 'first' }, { sessionSummary: 'last' }),
      },
    });
    await expect(invoke(cli, id, 'preToolUse', { toolName: 'bash', toolArgs: {} })).resolves.toMatchObject({
      result: { output: { permissionDecision: 'deny' } },
    });
    await expect(invoke(cli, id, 'userPromptSubmitted', { prompt: 'hi' })).resolves.toMatchObject({ result: { output: { modifiedPrompt: 'hi!' } } });
    await expect(invoke(cli, id, 'sessionEnd', { reason: 'complete' })).resolves.toMatchObject({ result: { output: { sessionSummary: 'last' } } });
    // Not installed, or not modelled: go on unchanged.
    await expect(invoke(cli, id, 'postToolUse', {})).resolves.toMatchObject({ result: {} });
    await expect(invoke(cli, id, 'agentStop', {})).resolves.toMatchObject({ result: {} });
    await client.stop();
  });

  it('answers no output for a hook that throws, answers garbage or misses its deadline, and reports each', async () => {
    const { cli, client, id, failures } = await setup({
      hooks: {
        onPreToolUse: () => ({ permissionDecision: 'maybe' }) as never,
        onPostToolUse: () => throwError(() => new Error('hook broke')),
        onErrorOccurred: () => NEVER,
      },
      handlerTimeouts: { hook: 50 },
    });
    for (const [hookType, reason] of [
      ['preToolUse', 'invalid-answer'],
      ['postToolUse', 'handler-failed'],
      ['errorOccurred', 'handler-timeout'],
    ] as const) {
      const answer = await invoke(cli, id, hookType, {});
      expect(answer.result).toEqual({});
      expect(failures.at(-1)).toMatchObject({ method: 'hooks.invoke', reason });
    }
    await client.stop();
  });
});

describe('elicitation, exit plan mode and MCP OAuth', () => {
  it('offers elicitation only with a handler, and answers with what it returns', async () => {
    const without = await setup();
    expect(without.cli.requestsOf('session.create')[0]?.params?.['requestElicitation']).toBe(false);
    await without.client.stop();
    const { cli, client, id } = await setup({
      onElicitation: (request) => ({ action: 'accept', content: { name: request.message } }),
    });
    expect(cli.requestsOf('session.create')[0]?.params?.['requestElicitation']).toBe(true);
    cli.emit(id, 'elicitation.requested', { requestId: 'e1', message: 'Your name?', requestedSchema: { type: 'object', properties: {} } });
    const sent = await cli.nextRequest('session.ui.handlePendingElicitation');
    expect(sent.params).toEqual({ sessionId: id, requestId: 'e1', result: { action: 'accept', content: { name: 'Your name?' } } });
    await client.stop();
  });

  it('cancels an elicitation whose handler answers garbage, submitting nothing on the user’s behalf', async () => {
    const { cli, client, id, failures } = await setup({ onElicitation: () => ({ action: 'yes' }) as never });
    cli.emit(id, 'elicitation.requested', { requestId: 'e2', message: 'Sure?' });
    const sent = await cli.nextRequest('session.ui.handlePendingElicitation');
    expect(sent.params?.['result']).toEqual({ action: 'cancel' });
    expect(failures).toEqual([expect.objectContaining({ reason: 'invalid-answer', requestId: 'e2' })]);
    await client.stop();
  });

  it('asks the app before leaving plan mode, once per plan; no handler or a failing one: not approved', async () => {
    const plan = { summary: 'S', planContent: 'P', actions: ['autopilot'], recommendedAction: 'autopilot' };
    const handler = jest.fn((request: { summary: string }) => ({ approved: request.summary === 'S', selectedAction: 'autopilot' }));
    const { cli, client, id } = await setup({ onExitPlanMode: handler });
    expect(cli.requestsOf('session.create')[0]?.params?.['requestExitPlanMode']).toBe(true);
    // CLI 1.0.102 broadcasts the plan as an event and asks directly: only the direct request is answered.
    cli.emit(id, 'exit_plan_mode.requested', { requestId: 'x1', ...plan });
    await expect(cli.request('exitPlanMode.request', { sessionId: id, ...plan })).resolves.toMatchObject({
      result: { approved: true, selectedAction: 'autopilot' },
    });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(cli.requestsOf('session.ui.handlePendingExitPlanMode')).toHaveLength(0);
    await client.stop();

    const failing = await setup({ onExitPlanMode: () => Promise.reject(new Error('no')) });
    const direct = await failing.cli.request('exitPlanMode.request', { sessionId: failing.id, ...plan });
    expect(direct.result).toMatchObject({ approved: false });
    await failing.client.stop();

    const none = await setup();
    expect(none.cli.requestsOf('session.create')[0]?.params?.['requestExitPlanMode']).toBe(false);
    await expect(none.cli.request('exitPlanMode.request', { sessionId: none.id, ...plan })).resolves.toMatchObject({ result: { approved: false } });
    await none.client.stop();
  });

  it('gives an MCP server the token the handler returns, and cancels when it returns nothing', async () => {
    const oauth = { serverName: 'docs', serverUrl: 'http://127.0.0.1:1/mcp', reason: 'initial' };
    const { cli, client, id } = await setup({
      onMcpAuth: (request) => (request.requestId === 'o1' ? { accessToken: 'tok', tokenType: 'Bearer' } : undefined),
    });
    // As the official SDK does: without this interest the CLI never asks the client to sign in.
    expect(cli.requestsOf('session.eventLog.registerInterest')[0]?.params).toEqual({ sessionId: id, eventType: 'mcp.oauth_required' });
    cli.emit(id, 'mcp.oauth_required', { requestId: 'o1', ...oauth });
    const first = await cli.nextRequest('session.mcp.oauth.handlePendingRequest');
    expect(first.params?.['result']).toEqual({ kind: 'token', accessToken: 'tok', tokenType: 'Bearer' });
    cli.emit(id, 'mcp.oauth_required', { requestId: 'o2', ...oauth });
    const second = await cli.next((m) => m.method === 'session.mcp.oauth.handlePendingRequest' && m.params?.['requestId'] === 'o2');
    expect(second.params?.['result']).toEqual({ kind: 'cancelled' });
    await client.stop();
  });
});

describe('session config', () => {
  it('sends MCP servers (local cwd renamed), agents, skills, instructions, providers and the token', async () => {
    const { cli, client } = await setup({
      mcpServers: {
        local: { command: 'node', args: ['server.js'], workingDirectory: '/srv', tools: ['*'] },
        remote: { type: 'http', url: 'http://127.0.0.1:9/mcp', headers: { a: 'b' } },
      },
      disabledMcpServers: ['github'],
      customAgents: [{ name: 'reviewer', prompt: 'Review.', mcpServers: { l: { command: 'x', workingDirectory: '/d' } } }],
      agent: 'reviewer',
      defaultAgent: { excludedTools: ['bash'] },
      skillDirectories: ['/skills'],
      disabledSkills: ['s'],
      instructionDirectories: ['/instr'],
      providers: [{ name: 'local', baseUrl: 'http://127.0.0.1:1/v1' }],
      models: [{ id: 'm', provider: 'local' }],
      gitHubToken: 'gho_x',
    });
    expect(cli.requestsOf('session.create')[0]?.params).toMatchObject({
      mcpServers: {
        local: { command: 'node', args: ['server.js'], cwd: '/srv', tools: ['*'] },
        remote: { type: 'http', url: 'http://127.0.0.1:9/mcp', headers: { a: 'b' } },
      },
      disabledMcpServers: ['github'],
      customAgents: [{ name: 'reviewer', prompt: 'Review.', mcpServers: { l: { command: 'x', cwd: '/d' } } }],
      agent: 'reviewer',
      defaultAgent: { excludedTools: ['bash'] },
      skillDirectories: ['/skills'],
      disabledSkills: ['s'],
      instructionDirectories: ['/instr'],
      providers: [{ name: 'local', baseUrl: 'http://127.0.0.1:1/v1' }],
      models: [{ id: 'm', provider: 'local' }],
      gitHubToken: 'gho_x',
    });
    await client.stop();
  });
});
