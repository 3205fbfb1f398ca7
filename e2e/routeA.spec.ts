/**
 * Core against the real CLI on its default Copilot API path (real-cli.md route A): the CLI logs in with
 * a token, reads its user and model list and streams from the scripted endpoint as if it were the
 * Copilot service. A rate limit there ends in an offer to switch to auto mode, which blocks the session
 * until a client answers: copilot-rx declines by default, so the turn still ends.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { CopilotRxClient, SessionError, type SessionEvent } from '@copilot-rx/core';
import { createCliSandbox, startScriptedModelEndpoint, type CliSandbox, type ScriptedModelEndpoint } from '@copilot-rx/testing';

jest.setTimeout(90_000);

let endpoint: ScriptedModelEndpoint;
let sandbox: CliSandbox;
let client: CopilotRxClient;

beforeAll(async () => {
  endpoint = await startScriptedModelEndpoint();
  sandbox = await createCliSandbox({ endpoint });
  client = new CopilotRxClient({
    cliPath: sandbox.cliPath,
    cwd: sandbox.cwd,
    env: sandbox.env,
    authToken: endpoint.fakeToken,
    logLevel: 'error',
  });
  await client.start();
});

afterAll(async () => {
  await client?.stop();
  await endpoint?.close();
  await sandbox?.dispose();
});

const config = { streaming: true, systemMessage: { mode: 'replace' as const, content: 'You are a test assistant.' }, availableTools: [] };

it('streams a turn from the Copilot API path, logged in with the auth token', async () => {
  const session = await client.createSession(config);
  const events: SessionEvent[] = await lastValueFrom(session.send('Hello there [[chunks 12]]').pipe(toArray()));
  const deltas = events.flatMap((e) => (e.type === 'assistant.message_delta' ? [e.data.deltaContent] : []));
  const message = events.find((e) => e.type === 'assistant.message');
  expect(deltas).toHaveLength(12);
  expect(message?.type === 'assistant.message' && message.data.content).toBe(deltas.join(''));
  expect(endpoint.requests.some((r) => r.path === '/copilot_internal/user')).toBe(true);
  await session.destroy();
});

it('ends a rate-limited turn: the auto-mode-switch offer is declined by default', async () => {
  const session = await client.createSession(config);
  const seen: SessionEvent[] = [];
  session.events$.subscribe((e) => seen.push(e));
  const outcome = await lastValueFrom(session.send('Too much [[http 429]]'), { defaultValue: undefined }).catch((e: unknown) => e);
  expect(outcome).toBeInstanceOf(SessionError);
  expect(outcome).toMatchObject({ errorType: 'rate_limit', statusCode: 429 });
  // The session still goes idle, and the next turn runs: the offer was answered "no" on the app's behalf.
  const next = await lastValueFrom(session.send('Afterwards [[chunks 2]]').pipe(toArray()));
  expect(next.at(-1)?.type).toBe('session.idle');
  const completed = seen.find((e) => e.type === 'auto_mode_switch.completed');
  expect(completed?.type === 'auto_mode_switch.completed' && completed.data.response).toBe('no');
  await session.destroy();
});
