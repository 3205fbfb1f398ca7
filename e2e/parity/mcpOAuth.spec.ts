/**
 * The MCP OAuth handler on the real Copilot CLI offline: a remote MCP server on 127.0.0.1 answers 401
 * until it gets its bearer token; the CLI asks this client (`mcp.oauth_required`), `onMcpAuth` returns
 * the token, the server connects and its tool runs.
 */
import { approveAll, type McpAuthHandler } from '@copilot-rx/core';
import { lastValueFrom, toArray } from 'rxjs';
import { startBackend, type Backend } from '../support/backends';
import { startOAuthMcpServer, type OAuthMcpServer } from '../support/oauthMcpServer';

jest.setTimeout(120_000);

let cli: Backend;
let server: OAuthMcpServer;
beforeAll(async () => {
  cli = await startBackend('real-stdio');
  server = await startOAuthMcpServer('token-from-the-app');
});
afterAll(async () => {
  await cli?.dispose();
  await server?.close();
});

it('signs a remote MCP server in with the token onMcpAuth returns; its tool then runs', async () => {
  const handler = jest.fn<ReturnType<McpAuthHandler>, Parameters<McpAuthHandler>>(() => ({ accessToken: 'token-from-the-app', tokenType: 'Bearer' }));
  const session = await cli.client.createSession(
    cli.sessionConfig({
      availableTools: undefined,
      mcpServers: { guarded: { type: 'http', url: server.url, tools: ['*'] } },
      onMcpAuth: handler,
      onPermissionRequest: approveAll,
    }),
  );
  const connected = new Promise<void>((resolve) =>
    session.events$.subscribe((event) => {
      if (event.type === 'session.mcp_server_status_changed' && event.data.serverName === 'guarded' && event.data.status === 'connected') resolve();
    }),
  );
  await connected;
  expect(handler).toHaveBeenCalledWith(expect.objectContaining({ serverName: 'guarded', serverUrl: server.url }), expect.anything());
  const events = await lastValueFrom(session.send({ prompt: 'Who [[tool guarded-whoami {}]]' }).pipe(toArray()));
  expect(events.find((event) => event.type === 'tool.execution_complete')).toMatchObject({
    data: { success: true, result: { content: 'signed in with the token from onMcpAuth' } },
  });
  await session.destroy();
});
