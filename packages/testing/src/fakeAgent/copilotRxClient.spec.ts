/**
 * The fake agent as an app meets it: core's CopilotRxClient over in-memory streams, over a spawned
 * `copilot-rx-fake-agent` (stdio and TCP with a connection token), and against a replayed transcript.
 */
import { approveAll, ConnectionClosedError, CopilotRxClient, defineTool, ofType, streamTransport, type SessionEvent } from '@copilot-rx/core';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { replayTranscript } from '../transcripts/replayTranscript';
import { FakeCopilotAgent } from './FakeCopilotAgent';
import { fakeAgentBinPath as BIN } from './fakeAgentBinPath';
import { recordedTranscript } from './testSupport/recordedTranscripts';
import { PLAIN_ANSWER } from './turns/promptDirectives';

function weatherTool(calls: unknown[]) {
  return defineTool({
    name: 'get_weather',
    description: 'Get the current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    handler: (args) => {
      calls.push(args);
      return 'Sunny in Paris, 21C';
    },
  });
}

function textOf(events: readonly SessionEvent[]): string {
  return events.flatMap((event) => (event.type === 'assistant.message_delta' ? [event.data.deltaContent] : [])).join('');
}

function typesOf(events: readonly SessionEvent[]): string[] {
  return events.map((event) => event.type);
}

describe('CopilotRxClient against the fake agent', () => {
  it('creates a session, streams a reply to session.idle, and runs a tool call with permission approved', async () => {
    const agent = new FakeCopilotAgent();
    const client = new CopilotRxClient({ transport: streamTransport(agent.connectInMemory()) });
    await client.start();
    try {
      const calls: unknown[] = [];
      const session = await client.createSession({ tools: [weatherTool(calls)], onPermissionRequest: approveAll });

      const plain = await lastValueFrom(session.send('Say hello').pipe(toArray()));
      expect(textOf(plain)).toBe(PLAIN_ANSWER);
      expect(plain.at(-1)?.type).toBe('session.idle');

      const tool = await lastValueFrom(session.send('What is the weather in Paris? [[tool get_weather {"city":"Paris"}]]').pipe(toArray()));
      expect(calls).toEqual([{ city: 'Paris' }]);
      expect(typesOf(tool).filter((type) => /^(permission|external_tool|tool)\./.test(type))).toEqual([
        'tool.execution_start',
        'permission.requested',
        'permission.completed',
        'external_tool.requested',
        'external_tool.completed',
        'tool.execution_complete',
      ]);
      const complete = tool.find((event) => event.type === 'tool.execution_complete');
      expect(complete?.type === 'tool.execution_complete' && complete.data.success).toBe(true);
      expect(textOf(tool)).toBe('Tool get_weather returned: Sunny in Paris, 21C');
    } finally {
      await client.stop();
    }
  });

  it('denies by default: without a handler the tool is rejected and never runs', async () => {
    const agent = new FakeCopilotAgent();
    const client = new CopilotRxClient({ transport: streamTransport(agent.connectInMemory()) });
    await client.start();
    try {
      const calls: unknown[] = [];
      const session = await client.createSession({ tools: [weatherTool(calls)] });
      const events = await lastValueFrom(session.send('Weather? [[tool get_weather {"city":"Paris"}]]').pipe(toArray()));
      expect(calls).toEqual([]);
      const completed = events.find((event) => event.type === 'permission.completed');
      expect(completed?.type === 'permission.completed' && completed.data.result.kind).toBe('denied-interactively-by-user');
    } finally {
      await client.stop();
    }
  });

  it('launches the copilot-rx-fake-agent bin as its cliPath over stdio', async () => {
    const client = new CopilotRxClient({ cliPath: BIN });
    await client.start();
    try {
      expect(client.state).toMatchObject({ status: 'connected', cliVersion: '1.0.102', protocolVersion: 3 });
      const session = await client.createSession();
      const text = await lastValueFrom(session.send('Say hello').pipe(toArray()));
      expect(textOf(text)).toBe(PLAIN_ANSWER);
    } finally {
      await client.stop();
    }
  });

  it('launches the bin in TCP mode, with the connection token core generates', async () => {
    const client = new CopilotRxClient({ cliPath: BIN, transport: 'tcp' });
    await client.start();
    try {
      expect(client.port).toBeGreaterThan(0);
      const session = await client.createSession();
      const events = await lastValueFrom(session.send('Say hello').pipe(toArray()));
      expect(textOf(events)).toBe(PLAIN_ANSWER);
    } finally {
      await client.stop();
    }
  });

  it('reports a crash of the agent as ConnectionClosedError with its exit code and stderr', async () => {
    const client = new CopilotRxClient({ cliPath: BIN });
    await client.start();
    const session = await client.createSession();
    const failure = await lastValueFrom(session.send('Boom [[crash 3]]')).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConnectionClosedError);
    expect(failure).toMatchObject({ exitCode: 3 });
    expect(String((failure as Error).message)).toContain('fatal: the fake Copilot agent crashed (scripted)');
    await client.stop();
  });

  it('passes the exit code of an in-memory crash to streamTransport', async () => {
    const agent = new FakeCopilotAgent();
    const client = new CopilotRxClient({ transport: streamTransport(agent.connectInMemory()) });
    await client.start();
    const session = await client.createSession();
    const failure = await lastValueFrom(session.send('Boom [[crash 4]]')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectionClosedError);
    expect(failure).toMatchObject({ exitCode: 4 });
    await client.stop();
  });

  it('replays the recorded real-CLI plain answer to CopilotRxClient', async () => {
    const replay = await replayTranscript(recordedTranscript('raw-capi-plain.jsonl'));
    const connection = replay.connectInMemory();
    const client = new CopilotRxClient({ transport: streamTransport(connection) });
    await client.start();
    try {
      const session = await client.createSession({ model: 'claude-sonnet-4.5' });
      const deltas = session.send('Say hello').pipe(ofType('assistant.message_delta'), toArray());
      const text = (await firstValueFrom(deltas)).map((event) => event.data.deltaContent).join('');
      expect(text).toBe(PLAIN_ANSWER);
    } finally {
      await client.forceStop();
    }
  });
});
