import * as t from 'io-ts';
import { firstValueFrom, lastValueFrom, of, throwError, toArray } from 'rxjs';
import { CopilotRxClient } from '../client/CopilotRxClient';
import { ConnectionClosedError, SessionError } from '../errors';
import { FakeCli, NO_ANSWER } from '../testSupport/fakeCli';
import { DEFAULT_DENIAL_FEEDBACK, approveAll } from './permissions';
import { defineTool, genericToolFailure } from './tools';
import type { SessionConfig } from './config';

async function setup(config: SessionConfig = {}) {
  const cli = new FakeCli();
  const client = new CopilotRxClient({ transport: cli.transport() });
  await client.start();
  const session = await client.createSession(config);
  return { cli, client, session, id: session.id };
}

/** Answers `session.send` the way the CLI does: events first, then the answer, then the turn. */
function scriptTurn(cli: FakeCli, id: string, turnEvents: (cli: FakeCli) => void): void {
  cli.handle('session.send', (params) => {
    cli.emit(id, 'pending_messages.modified', {}, { ephemeral: true });
    setImmediate(() => {
      cli.emit(id, 'user.message', { content: params['prompt'] });
      turnEvents(cli);
    });
    return { messageId: 'ignored' };
  });
}

describe('RxSession.send()', () => {
  it('sends on subscribe, emits the turn and completes at session.idle', async () => {
    const { cli, client, session, id } = await setup();
    scriptTurn(cli, id, () => {
      cli.emit(id, 'assistant.message_delta', { messageId: 'm', deltaContent: 'Hel' }, { ephemeral: true });
      cli.emit(id, 'assistant.message_delta', { messageId: 'm', deltaContent: 'lo' }, { ephemeral: true });
      cli.emit(id, 'assistant.message', { messageId: 'm', content: 'Hello' });
      cli.emit(id, 'session.idle', {}, { ephemeral: true });
      cli.emit(id, 'session.title_changed', { title: 'after the turn' }, { ephemeral: true });
    });
    const turn = session.send('Say hello');
    expect(cli.requestsOf('session.send')).toHaveLength(0);
    const types = (await lastValueFrom(turn.pipe(toArray()))).map((e) => e.type);
    expect(types).toEqual([
      'pending_messages.modified',
      'user.message',
      'assistant.message_delta',
      'assistant.message_delta',
      'assistant.message',
      'session.idle',
    ]);
    expect(cli.requestsOf('session.send')[0]?.params).toEqual({ sessionId: id, prompt: 'Say hello' });
    await client.stop();
  });

  it('errors with SessionError carrying errorType, statusCode and message on session.error', async () => {
    const { cli, client, session, id } = await setup();
    scriptTurn(cli, id, () => {
      cli.emit(id, 'session.error', { errorType: 'query', message: 'Execution failed: 400 bad', statusCode: 400 });
      cli.emit(id, 'session.idle', {}, { ephemeral: true });
    });
    const error = await lastValueFrom(session.send('x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toMatchObject({ errorType: 'query', statusCode: 400, serverMessage: 'Execution failed: 400 bad' });
    await client.stop();
  });

  it('does not fail the turn on a sub-agent error or an error-level log line', async () => {
    const { cli, client, session, id } = await setup();
    scriptTurn(cli, id, () => {
      cli.emit(id, 'session.error', { errorType: 'query', message: 'sub-agent failed' }, { agentId: 'task-1' });
      cli.emit(id, 'session.error', { errorType: 'notification', message: 'logged' });
      cli.emit(id, 'session.idle', {}, { ephemeral: true });
    });
    const events = await lastValueFrom(session.send('x').pipe(toArray()));
    expect(events.at(-1)?.type).toBe('session.idle');
    await client.stop();
  });

  it('ignores the stale idle of an aborted earlier turn until its own user.message', async () => {
    const { cli, client, session, id } = await setup();
    // Turn 1 is abandoned before it went idle (the unsubscription sends session.abort).
    cli.handle('session.send', () => ({ messageId: '1' }));
    const first = session.send('first').subscribe();
    await cli.nextRequest('session.send');
    first.unsubscribe();
    await cli.nextRequest('session.abort');
    expect(session.busy).toBe(true);
    // Turn 2: the aborted loop's idle arrives after the new send went out (protocol.md §5.4).
    cli.handle('session.send', (params) => {
      setImmediate(() => {
        cli.emit(id, 'session.idle', { aborted: true }, { ephemeral: true });
        cli.emit(id, 'user.message', { content: params['prompt'] });
        cli.emit(id, 'assistant.message', { messageId: 'm2', content: 'second answer' });
        cli.emit(id, 'session.idle', {}, { ephemeral: true });
      });
      return { messageId: '2' };
    });
    const events = await lastValueFrom(session.send('second').pipe(toArray()));
    expect(events.map((e) => e.type)).toEqual(['user.message', 'assistant.message', 'session.idle']);
    expect(events.at(-1)?.data).toEqual({});
    await client.stop();
  });

  it('sends session.abort when unsubscribed before idle, and not after', async () => {
    const { cli, client, session, id } = await setup();
    scriptTurn(cli, id, () => cli.emit(id, 'session.idle', {}, { ephemeral: true }));
    await lastValueFrom(session.send('done'));
    expect(cli.requestsOf('session.abort')).toHaveLength(0);
    cli.handle('session.send', () => NO_ANSWER);
    const running = session.send('long').subscribe();
    await cli.nextRequest('session.send');
    running.unsubscribe();
    expect((await cli.nextRequest('session.abort')).params).toEqual({ sessionId: id });
    await client.stop();
  });

  it('errors with ConnectionClosedError when the CLI dies mid-turn', async () => {
    const { cli, session } = await setup();
    cli.handle('session.send', () => ({ messageId: '1' }));
    const turn = lastValueFrom(session.send('x')).catch((e: unknown) => e);
    await cli.nextRequest('session.send');
    cli.exit({ reason: 'the CLI exited', exitCode: null, signal: 'SIGKILL' });
    expect(await turn).toBeInstanceOf(ConnectionClosedError);
  });
});

describe('RxSession permission prompts', () => {
  const permissionRequest = {
    requestId: 'perm-1',
    permissionRequest: { kind: 'custom-tool', toolCallId: 'call_1', toolName: 'get_weather', toolDescription: 'Weather', args: {} },
  };

  it('denies by default, with feedback the model reads', async () => {
    const { cli, client, id } = await setup();
    cli.emit(id, 'permission.requested', permissionRequest);
    const answer = await cli.nextRequest('session.permissions.handlePendingPermissionRequest');
    expect(answer.params).toEqual({
      sessionId: id,
      requestId: 'perm-1',
      result: { kind: 'reject', feedback: DEFAULT_DENIAL_FEEDBACK },
    });
    await client.stop();
  });

  it('approves with approveAll', async () => {
    const { cli, client, id } = await setup({ onPermissionRequest: approveAll });
    cli.emit(id, 'permission.requested', permissionRequest);
    const answer = await cli.nextRequest('session.permissions.handlePendingPermissionRequest');
    expect(answer.params?.['result']).toEqual({ kind: 'approve-once' });
    await client.stop();
  });

  it('denies, naming the error, when the handler throws; and answers nothing for no-result', async () => {
    const { cli, client, id } = await setup({
      onPermissionRequest: (request) => {
        if (request.requestId === 'leave-it') return { kind: 'no-result' };
        throw new Error('handler broke');
      },
    });
    cli.emit(id, 'permission.requested', { ...permissionRequest, requestId: 'leave-it' });
    cli.emit(id, 'permission.requested', permissionRequest);
    const answer = await cli.nextRequest('session.permissions.handlePendingPermissionRequest');
    expect(answer.params).toMatchObject({ requestId: 'perm-1', result: { kind: 'reject' } });
    expect((answer.params?.['result'] as { feedback: string }).feedback).toMatch(/permission handler failed \(handler broke\)/);
    expect(cli.requestsOf('session.permissions.handlePendingPermissionRequest')).toHaveLength(1);
    await client.stop();
  });

  it('denies a permission request it cannot decode instead of leaving the CLI waiting', async () => {
    const { cli, client, id } = await setup({ onPermissionRequest: approveAll });
    const failures: string[] = [];
    client.decodeErrors$.subscribe((failure) => failures.push(failure.eventType ?? ''));
    cli.emit(id, 'permission.requested', { requestId: 'odd-1', permissionRequest: { kind: 'custom-tool' } });
    const answer = await cli.nextRequest('session.permissions.handlePendingPermissionRequest');
    expect(answer.params).toMatchObject({ sessionId: id, requestId: 'odd-1', result: { kind: 'reject' } });
    expect((answer.params?.['result'] as { feedback: string }).feedback).toMatch(/could not read .*toolName/);
    expect(failures).toEqual(['permission.requested']);
    await client.stop();
  });

  it('answers an auto-mode-switch offer with "no" by default, so the turn can end', async () => {
    const { cli, client, id } = await setup();
    cli.emit(id, 'auto_mode_switch.requested', { requestId: 'ams-1', errorCode: 'rate_limited' }, { ephemeral: true });
    const answer = await cli.nextRequest('session.ui.handlePendingAutoModeSwitch');
    expect(answer.params).toEqual({ sessionId: id, requestId: 'ams-1', response: 'no' });
    await client.stop();
  });
});

describe('RxSession tools', () => {
  const toolCall = (toolName: string, args: unknown, requestId = 'tool-req-1') => ({
    requestId,
    sessionId: 'ignored',
    toolCallId: 'call_1',
    toolName,
    arguments: args,
  });

  async function answerFor(config: SessionConfig, toolName: string, args: unknown) {
    const { cli, client, id } = await setup(config);
    cli.emit(id, 'external_tool.requested', toolCall(toolName, args));
    const answer = await cli.nextRequest('session.tools.handlePendingToolCall');
    await client.stop();
    return answer.params;
  }

  const weather = (handler: (args: { city: string }) => unknown) =>
    defineTool({
      name: 'get_weather',
      description: 'Weather of a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      args: t.type({ city: t.string }),
      handler,
    });

  it('declares tools to the CLI without their handlers', async () => {
    const { cli, client } = await setup({ tools: [weather(() => 'x')] });
    expect(cli.requestsOf('session.create')[0]?.params?.['tools']).toEqual([
      {
        name: 'get_weather',
        description: 'Weather of a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    ]);
    await client.stop();
  });

  it('runs the handler with typed arguments and sends its string result', async () => {
    const params = await answerFor({ tools: [weather(({ city }) => `Sunny in ${city}`)] }, 'get_weather', { city: 'Paris' });
    expect(params).toMatchObject({ requestId: 'tool-req-1', result: 'Sunny in Paris' });
  });

  it('accepts a Promise or an Observable (its last value), and sends other values as JSON', async () => {
    expect(await answerFor({ tools: [weather(async () => 'from a promise')] }, 'get_weather', { city: 'a' })).toMatchObject({
      result: 'from a promise',
    });
    expect(await answerFor({ tools: [weather(() => of('progress', 'final'))] }, 'get_weather', { city: 'a' })).toMatchObject({
      result: 'final',
    });
    expect(await answerFor({ tools: [weather(() => ({ temp: 21 }))] }, 'get_weather', { city: 'a' })).toMatchObject({
      result: '{"temp":21}',
    });
  });

  const failingHandlers = [
    () => {
      throw new Error('station offline at 10.0.0.7');
    },
    () => Promise.reject(new Error('station offline at 10.0.0.7')),
    () => throwError(() => new Error('station offline at 10.0.0.7')),
  ];

  it('turns a throw, a rejection or an erroring Observable into a generic failed result: the error text stays with the app', async () => {
    for (const handler of failingHandlers) {
      const params = await answerFor({ tools: [weather(handler)] }, 'get_weather', { city: 'a' });
      const generic = genericToolFailure('get_weather');
      expect(params?.['result']).toEqual({ textResultForLlm: generic, resultType: 'failure', error: generic });
      expect(JSON.stringify(params)).not.toContain('10.0.0.7');
    }
  });

  it("passes the handler's error to the model when the tool says shareErrorWithModel", async () => {
    for (const handler of failingHandlers) {
      const tool = { ...weather(handler), shareErrorWithModel: true };
      const params = await answerFor({ tools: [tool] }, 'get_weather', { city: 'a' });
      expect(params?.['result']).toEqual({
        textResultForLlm: "Tool 'get_weather' failed: station offline at 10.0.0.7",
        resultType: 'failure',
        error: "Tool 'get_weather' failed: station offline at 10.0.0.7",
      });
    }
  });

  it('fails bad arguments with a result that names the field, without running the handler', async () => {
    const handler = jest.fn(() => 'never');
    const params = await answerFor({ tools: [weather(handler)] }, 'get_weather', { city: 42 });
    expect(handler).not.toHaveBeenCalled();
    expect((params?.['result'] as { textResultForLlm: string }).textResultForLlm).toMatch(/Invalid arguments for tool 'get_weather'.*city/);
  });

  it('describes deeply nested arguments in a few characters (the model reads it), and answers', async () => {
    // 1,000 levels: the fake CLI must still serialise it; io-ts's PathReporter quoted all of it.
    let deep: unknown = 'x';
    for (let i = 0; i < 1_000; i++) deep = [deep];
    const params = await answerFor({ tools: [weather(() => 'never')] }, 'get_weather', { city: deep });
    const text = (params?.['result'] as { textResultForLlm: string }).textResultForLlm;
    expect(text).toMatch(/^Invalid arguments for tool 'get_weather': city: expected string, got \[\[\[/);
    expect(text.length).toBeLessThan(300);
  });

  it("fails the call, without running the handler, when the tool's own args codec throws", async () => {
    const handler = jest.fn(() => 'never');
    const throwing = new t.Type<unknown>(
      'Throwing',
      (_value): _value is unknown => true,
      () => {
        throw new Error('codec bug');
      },
      (value) => value,
    );
    const tool = defineTool({ name: 'get_weather', args: throwing, handler });
    const params = await answerFor({ tools: [tool] }, 'get_weather', {});
    expect(handler).not.toHaveBeenCalled();
    expect(params?.['result']).toMatchObject({ resultType: 'failure', textResultForLlm: genericToolFailure('get_weather') });
  });

  it('leaves calls for tools it does not own to other clients', async () => {
    const { cli, client, id } = await setup({ tools: [weather(() => 'mine')] });
    cli.emit(id, 'external_tool.requested', toolCall('someone_elses_tool', {}, 'other'));
    cli.emit(id, 'external_tool.requested', toolCall('get_weather', { city: 'x' }, 'mine'));
    const answer = await cli.nextRequest('session.tools.handlePendingToolCall');
    expect(answer.params?.['requestId']).toBe('mine');
    expect(cli.requestsOf('session.tools.handlePendingToolCall')).toHaveLength(1);
    await client.stop();
  });

  it('signals the handler to stop when the turn is aborted', async () => {
    let signal: AbortSignal | undefined;
    const { cli, client, id } = await setup({
      tools: [
        defineTool({
          name: 'slow',
          handler: (_args, invocation) => {
            signal = invocation.signal;
            return new Promise<string>((resolve) => invocation.signal.addEventListener('abort', () => resolve('stopped')));
          },
        }),
      ],
    });
    cli.emit(id, 'external_tool.requested', toolCall('slow', {}));
    await new Promise((resolve) => setImmediate(resolve));
    expect(signal?.aborted).toBe(false);
    cli.emit(id, 'abort', { reason: 'user_initiated' });
    const answer = await cli.nextRequest('session.tools.handlePendingToolCall');
    expect(signal?.aborted).toBe(true);
    expect(answer.params?.['result']).toBe('stopped');
    await client.stop();
  });
});

describe('RxSession lifecycle', () => {
  it('destroy() tells the CLI and completes events$', async () => {
    const { cli, client, session } = await setup();
    const all = lastValueFrom(session.events$.pipe(toArray()));
    await session.destroy();
    expect(await all).toEqual([]);
    expect(cli.requestsOf('session.destroy')).toHaveLength(1);
    await client.stop();
    expect(cli.requestsOf('session.destroy')).toHaveLength(1);
  });

  it('getMessages() decodes the persisted events', async () => {
    const { cli, client, session } = await setup();
    cli.handle('session.getMessages', () => ({
      events: [{ id: 'e1', timestamp: 't', parentId: null, type: 'user.message', data: { content: 'hi' } }],
    }));
    const [event] = await session.getMessages();
    expect(event?.type === 'user.message' && event.data.content).toBe('hi');
    await client.stop();
  });

  it('userInput.request reaches the session handler', async () => {
    const { cli, client, id } = await setup({
      onUserInput: (request) => ({ answer: `${request.question} -> B`, wasFreeform: false }),
    });
    expect(cli.requestsOf('session.create')[0]?.params?.['requestUserInput']).toBe(true);
    const answer = await cli.request('userInput.request', { sessionId: id, question: 'A or B?', choices: ['A', 'B'] });
    expect(answer.result).toEqual({ answer: 'A or B? -> B', wasFreeform: false });
    await client.stop();
  });

  it('is usable before the first event: events$ is hot and shared', async () => {
    const { cli, client, session, id } = await setup();
    const a = firstValueFrom(session.events$);
    const b = firstValueFrom(session.events$);
    cli.emit(id, 'session.title_changed', { title: 'T' }, { ephemeral: true });
    expect(await a).toBe(await b);
    await client.stop();
  });
});
