/**
 * Requests that arrive as events copilot-rx cannot decode still get their safe answer, from the raw
 * JSON, so the CLI is never left waiting: here the elicitation and the MCP sign-in (cancelled).
 */
import { CopilotRxClient } from '../client/CopilotRxClient';
import { FakeCli } from '../testSupport/fakeCli';
import type { SessionConfig } from './config';

async function setup(config: SessionConfig) {
  const cli = new FakeCli();
  cli.handle('session.eventLog.registerInterest', () => ({ handle: 'interest-1' }));
  const client = new CopilotRxClient({ transport: cli.transport() });
  await client.start();
  const session = await client.createSession(config);
  const undecodable: string[] = [];
  client.decodeErrors$.subscribe((failure) => undecodable.push(failure.eventType ?? ''));
  return { cli, client, id: session.id, undecodable };
}

describe('requests that fail their codec', () => {
  it('an elicitation is cancelled: nothing is submitted on the user’s behalf', async () => {
    const { cli, client, id, undecodable } = await setup({ onElicitation: () => ({ action: 'accept', content: {} }) });
    cli.emit(id, 'elicitation.requested', { requestId: 'e1', message: 42 });
    const answer = await cli.nextRequest('session.ui.handlePendingElicitation');
    expect(answer.params).toEqual({ sessionId: id, requestId: 'e1', result: { action: 'cancel' } });
    expect(undecodable).toEqual(['elicitation.requested']);
    await client.stop();
  });

  it('an MCP sign-in is cancelled: no token goes out', async () => {
    const { cli, client, id, undecodable } = await setup({ onMcpAuth: () => ({ accessToken: 'secret-token' }) });
    cli.emit(id, 'mcp.oauth_required', { requestId: 'o1', serverName: 'docs', serverUrl: 7 });
    const answer = await cli.nextRequest('session.mcp.oauth.handlePendingRequest');
    expect(answer.params).toEqual({ sessionId: id, requestId: 'o1', result: { kind: 'cancelled' } });
    expect(undecodable).toEqual(['mcp.oauth_required']);
    await client.stop();
  });

  it('a session without the handler leaves them to the client the CLI asked', async () => {
    const { cli, client, id, undecodable } = await setup({});
    cli.emit(id, 'elicitation.requested', { requestId: 'e1', message: 42 });
    cli.emit(id, 'mcp.oauth_required', { requestId: 'o1', serverName: 'docs', serverUrl: 7 });
    // A request after them, answered: everything before it on the wire has been handled.
    cli.emit(id, 'auto_mode_switch.requested', { requestId: 'ams-1' }, { ephemeral: true });
    await cli.nextRequest('session.ui.handlePendingAutoModeSwitch');
    expect(undecodable).toEqual(['elicitation.requested', 'mcp.oauth_required']);
    expect(cli.requestsOf('session.ui.handlePendingElicitation')).toEqual([]);
    expect(cli.requestsOf('session.mcp.oauth.handlePendingRequest')).toEqual([]);
    await client.stop();
  });
});
