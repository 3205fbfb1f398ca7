/**
 * `send({ prompt, silenceTimeoutMs })`: a turn that hears nothing for that long fails with
 * TurnSilenceError and is aborted on the CLI; time this client's own handlers spend working does not
 * count as the CLI's silence.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { CopilotRxClient } from '../client/CopilotRxClient';
import { TurnSilenceError } from '../errors';
import { FakeCli } from '../testSupport/fakeCli';
import { defineTool } from './tools';

async function setup(cli: FakeCli, tools = {}) {
  const client = new CopilotRxClient({ transport: cli.transport() });
  await client.start();
  const session = await client.createSession(tools);
  return { client, session };
}

it('fails a turn that stalls mid-answer with TurnSilenceError counting the events seen, and aborts it', async () => {
  const cli = new FakeCli();
  const { client, session } = await setup(cli);
  cli.streamEndlessTurns(session.id);
  const error = await lastValueFrom(session.send({ prompt: 'hi', silenceTimeoutMs: 100 })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TurnSilenceError);
  expect(error).toMatchObject({ sessionId: session.id, silenceMs: 100, eventsSeen: 2 });
  expect((await cli.nextRequest('session.abort')).params).toEqual({ sessionId: session.id });
  expect(cli.requestsOf('session.send')[0]?.params).not.toHaveProperty('silenceTimeoutMs');
  await client.stop();
});

it('does not count the time a tool handler of this client is working as silence', async () => {
  const cli = new FakeCli();
  const slowTool = defineTool({
    name: 'slow',
    handler: () => new Promise<string>((resolve) => setTimeout(() => resolve('done'), 300)),
  });
  const { client, session } = await setup(cli, { tools: [slowTool] });
  const id = session.id;
  cli.handle('session.send', () => {
    setImmediate(() => {
      cli.emit(id, 'user.message', { content: 'hi' });
      cli.emit(id, 'external_tool.requested', { requestId: 't1', sessionId: id, toolCallId: 'c1', toolName: 'slow', arguments: {} });
    });
    return { messageId: 'm' };
  });
  cli.handle('session.tools.handlePendingToolCall', () => {
    setImmediate(() => cli.emit(id, 'session.idle', {}, { ephemeral: true }));
    return { success: true };
  });
  const events = await lastValueFrom(session.send({ prompt: 'hi', silenceTimeoutMs: 100 }).pipe(toArray()));
  expect(events.at(-1)?.type).toBe('session.idle');
  await client.stop();
});

it('rejects a silenceTimeoutMs that is not a positive number, naming it', async () => {
  const cli = new FakeCli();
  const { client, session } = await setup(cli);
  expect(() => session.send({ prompt: 'hi', silenceTimeoutMs: 0 })).toThrow(/silenceTimeoutMs must be a positive number/);
  await client.stop();
});
