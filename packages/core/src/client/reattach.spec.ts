/**
 * A reconnect re-attaches every session before the client is `connected` again. A CLI that goes
 * silent then must neither hold the client in `reconnecting` for ever nor make `stop()` wait on it;
 * and what the attach set up on the old link (the MCP OAuth interest) is set up on the new one.
 */
import { filter, firstValueFrom } from 'rxjs';
import { ConnectionClosedError } from '../errors';
import { FakeCli, NO_ANSWER } from '../testSupport/fakeCli';
import { CopilotRxClient } from './CopilotRxClient';
import type { CopilotRxClientOptions } from './options';
import type { ConnectionState } from './state';

/** A client whose every link is a new FakeCli, set up by `setUp` (the first link creates, the later ones resume). */
function reconnectingClient(setUp: (cli: FakeCli) => void, options: CopilotRxClientOptions = {}) {
  const clis: FakeCli[] = [];
  const client = new CopilotRxClient({
    transport: () => {
      const cli = new FakeCli();
      setUp(cli);
      clis.push(cli);
      return cli.transport();
    },
    reconnect: { maxAttempts: 2, delayMs: 0 },
    ...options,
  });
  return { client, clis };
}

jest.setTimeout(20_000);

const silentOnResume = (cli: FakeCli) => cli.handle('session.resume', () => NO_ANSWER);
const whenStatus = (client: CopilotRxClient, status: ConnectionState['status']) =>
  firstValueFrom(client.state$.pipe(filter((state) => state.status === status)));

describe('re-attaching sessions after a reconnect: bounds', () => {
  it('gives up on a CLI that never answers session.resume after startupTimeoutMs, attempt by attempt', async () => {
    // Long enough for the first handshake on a loaded machine; the silent resumes wait it out twice.
    const { client, clis } = reconnectingClient(silentOnResume, { startupTimeoutMs: 1_500 });
    await client.start();
    await client.createSession();
    clis[0]!.exit({ reason: 'the CLI exited', exitCode: 1, signal: null });
    const closed = await whenStatus(client, 'closed');
    const error = closed.status === 'closed' ? closed.error : undefined;
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error?.message).toMatch(/2 reconnect attempts failed \(last: session\.resume got no answer from the Copilot CLI within \d+ ms/);
    expect(clis.slice(1).map((cli) => cli.requestsOf('session.resume').length)).toEqual([1, 1]);
    expect(clis.slice(1).map((cli) => cli.endedBy)).toEqual(['disposed', 'disposed']);
    await client.stop();
  });

  it('stop() ends a reconnect stuck in session.resume at once, without waiting out its bound', async () => {
    let resumeAsked!: () => void;
    const asked = new Promise<void>((resolve) => (resumeAsked = resolve));
    const { client, clis } = reconnectingClient(
      (cli) =>
        cli.handle('session.resume', () => {
          resumeAsked();
          return NO_ANSWER;
        }),
      { startupTimeoutMs: 600_000 },
    );
    const states: string[] = [];
    client.state$.subscribe((state) => states.push(state.status));
    await client.start();
    await client.createSession();
    clis[0]!.exit({ reason: 'the CLI exited', exitCode: 1, signal: null });
    await asked;
    await client.stop();
    expect(states.slice(-2)).toEqual(['reconnecting', 'stopped']);
    expect(clis[1]!.endedBy).toBe('disposed');
    expect(clis).toHaveLength(2);
    await expect(client.createSession()).rejects.toThrow(/stopped/);
  });
});

describe('re-attaching sessions after a reconnect: interests', () => {
  const interested = (cli: FakeCli) => cli.handle('session.eventLog.registerInterest', () => ({ handle: 'interest-1' }));

  it('registers the MCP OAuth interest of a session with onMcpAuth on the new link, whose sign-ins it then answers', async () => {
    const { client, clis } = reconnectingClient(interested);
    await client.start();
    const session = await client.createSession({ onMcpAuth: () => ({ accessToken: 'token-after-reconnect' }) });
    await client.createSession(); // without onMcpAuth: no interest of its own
    clis[0]!.exit({ reason: 'the CLI exited', exitCode: 1, signal: null });
    await whenStatus(client, 'reconnecting');
    await whenStatus(client, 'connected');
    const newLink = clis[1]!;
    expect(newLink.requestsOf('session.eventLog.registerInterest').map((request) => request.params)).toEqual([
      { sessionId: session.id, eventType: 'mcp.oauth_required' },
    ]);
    newLink.emit(session.id, 'mcp.oauth_required', { requestId: 'o1', serverName: 'docs', serverUrl: 'http://127.0.0.1:1/mcp', reason: 'initial' });
    const answer = await newLink.nextRequest('session.mcp.oauth.handlePendingRequest');
    expect(answer.params).toEqual({ sessionId: session.id, requestId: 'o1', result: { kind: 'token', accessToken: 'token-after-reconnect' } });
    await client.stop();
  });
});
