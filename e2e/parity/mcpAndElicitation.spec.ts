/**
 * MCP servers in the session config and the elicitation handler on the real Copilot CLI offline: a
 * tiny local MCP server (e2e/support/tinyMcpServer.mjs, over stdio) offers `echo` and `ask_colour`, the
 * latter asking the user through MCP elicitation, which the CLI forwards to `onElicitation`.
 */
import path from 'node:path';
import { approveAll, ofType, type ElicitationHandler, type SessionConfig } from '@copilot-rx/core';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { startBackend, type Backend } from '../support/backends';

jest.setTimeout(120_000);

const TINY_SERVER = path.join(__dirname, '../support/tinyMcpServer.mjs');

let cli: Backend;
beforeAll(async () => {
  cli = await startBackend('real-stdio');
});
afterAll(async () => {
  await cli?.dispose();
});

function withTinyServer(extra: SessionConfig = {}): SessionConfig {
  return cli.sessionConfig({
    // No `availableTools`: the MCP server's tools must stay visible to the model.
    availableTools: undefined,
    mcpServers: { tiny: { command: process.execPath, args: [TINY_SERVER], tools: ['*'] } },
    onPermissionRequest: approveAll,
    ...extra,
  });
}

/** The `tool.execution_complete` of the turn's MCP tool call. */
async function mcpToolResult(config: SessionConfig, prompt: string) {
  const session = await cli.client.createSession(config);
  const events = await lastValueFrom(session.send({ prompt }).pipe(toArray()));
  await session.destroy();
  const complete = events.find((event) => event.type === 'tool.execution_complete');
  return { events, result: complete?.type === 'tool.execution_complete' ? complete.data : undefined };
}

describe('mcpServers', () => {
  it('starts a local MCP server for the session and the model calls its tool', async () => {
    const session = await cli.client.createSession(withTinyServer());
    const loaded = firstValueFrom(session.events$.pipe(ofType('session.mcp_servers_loaded')));
    const events = await lastValueFrom(session.send({ prompt: 'Echo [[tool tiny-echo {"text":"hi"}]]' }).pipe(toArray()));
    expect((await loaded).data.servers).toEqual([expect.objectContaining({ name: 'tiny', status: 'connected' })]);
    const complete = events.find((event) => event.type === 'tool.execution_complete');
    expect(complete).toMatchObject({ data: { success: true, result: { content: 'tiny echo: hi' } } });
    await session.destroy();
  });

  it('does not start a server named in disabledMcpServers', async () => {
    const { result } = await mcpToolResult(withTinyServer({ disabledMcpServers: ['tiny'] }), 'Echo [[tool tiny-echo {"text":"hi"}]]');
    expect(result).toMatchObject({ success: false });
  });
});

describe('onElicitation', () => {
  it("answers an MCP server's elicitation with what the handler returns", async () => {
    const handler = jest.fn<ReturnType<ElicitationHandler>, Parameters<ElicitationHandler>>(async () => ({ action: 'accept', content: { colour: 'teal' } }));
    const { result } = await mcpToolResult(withTinyServer({ onElicitation: handler }), 'Ask [[tool tiny-ask_colour {}]]');
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0]?.[0]).toMatchObject({ message: 'Favourite colour?', elicitationSource: 'tiny', requestedSchema: { required: ['colour'] } });
    expect(result).toMatchObject({ success: true, result: { content: 'elicited: {"action":"accept","content":{"colour":"teal"}}' } });
  });

  it('cancels when the handler fails: nothing is submitted on the user’s behalf, and the failure is reported', async () => {
    const failures: string[] = [];
    const subscription = cli.client.answerFailures$.subscribe((failure) => failures.push(`${failure.method}:${failure.reason}`));
    const { result } = await mcpToolResult(
      withTinyServer({
        onElicitation: () => {
          throw new Error('form crashed');
        },
      }),
      'Ask [[tool tiny-ask_colour {}]]',
    );
    expect(result).toMatchObject({ result: { content: 'elicited: {"action":"cancel"}' } });
    expect(failures).toContain('session.ui.handlePendingElicitation:handler-failed');
    subscription.unsubscribe();
  });

  it('without a handler the CLI is told this client cannot elicit, and the server gets no form answer', async () => {
    const { result } = await mcpToolResult(withTinyServer(), 'Ask [[tool tiny-ask_colour {}]]');
    expect(JSON.stringify(result)).not.toContain('accept');
  });
});
