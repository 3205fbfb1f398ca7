/**
 * The official SDK's session management and runtime controls, through copilot-rx's typed calls, on
 * the real Copilot CLI offline (BYOK provider pointing at the scripted model endpoint on 127.0.0.1).
 */
import { CopilotRxClient, RequestRefusedError, RpcError, ofType } from '@copilot-rx/core';
import { createCliSandbox } from '@copilot-rx/testing';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { startBackend, type Backend } from '../support/backends';

jest.setTimeout(120_000);

describe('session management on the real CLI', () => {
  let cli: Backend;
  beforeAll(async () => {
    cli = await startBackend('real-stdio');
  });
  afterAll(async () => {
    await cli?.dispose();
  });

  it('lists a saved session, reads its metadata, finds it last, and deletes it for good', async () => {
    const session = await cli.client.createSession(cli.sessionConfig());
    // The CLI saves a session with its first message.
    await lastValueFrom(session.send({ prompt: 'Say hello [[chunks 2]]' }));
    const listed = await cli.client.listSessions();
    expect(listed.map((entry) => entry.sessionId)).toContain(session.id);
    const metadata = await cli.client.getSessionMetadata(session.id);
    expect(metadata).toMatchObject({ sessionId: session.id, isRemote: false });
    await expect(firstValueFrom(cli.client.getLastSessionId.$())).resolves.toBe(session.id);

    await cli.client.deleteSession(session.id);
    await expect(cli.client.getSessionMetadata(session.id)).resolves.toBeUndefined();
    expect((await cli.client.listSessions()).map((entry) => entry.sessionId)).not.toContain(session.id);
  });

  it('has no foreground session in headless mode, and refuses to set one, saying why', async () => {
    const session = await cli.client.createSession(cli.sessionConfig());
    await expect(cli.client.getForegroundSessionId()).resolves.toBeUndefined();
    const refused = cli.client.setForegroundSessionId(session.id);
    await expect(refused).rejects.toBeInstanceOf(RequestRefusedError);
    await expect(refused).rejects.toThrow(/TUI\+server mode/);
    await session.destroy();
  });

  it('resumes a session attached on this client by replacing the attachment; the new one streams', async () => {
    const first = await cli.client.createSession(cli.sessionConfig());
    await lastValueFrom(first.send({ prompt: 'First turn [[chunks 2]]' }));
    const second = await cli.client.resumeSession(first.id, cli.sessionConfig());
    const events = await lastValueFrom(second.send({ prompt: 'Second turn [[chunks 2]]' }).pipe(toArray()));
    expect(events.at(-1)?.type).toBe('session.idle');
    await second.destroy();
  });
});

describe('runtime controls on the real CLI', () => {
  let cli: Backend;
  beforeAll(async () => {
    cli = await startBackend('real-stdio');
  });
  afterAll(async () => {
    await cli?.dispose();
  });

  it("reads the CLI's status and auth status", async () => {
    await expect(cli.client.getStatus()).resolves.toEqual(expect.objectContaining({ version: '1.0.102', protocolVersion: 3 }));
    await expect(cli.client.getAuthStatus()).resolves.toMatchObject({ isAuthenticated: false });
  });

  it('lists models through the CLI, which needs an account (offline: an RpcError saying so)', async () => {
    const failed = cli.client.listModels();
    await expect(failed).rejects.toBeInstanceOf(RpcError);
    await expect(failed).rejects.toThrow(/Not authenticated/);
  });

  it("switches a session's model with reasoning effort: the CLI reports the change and the next turn uses it", async () => {
    const session = await cli.client.createSession(cli.sessionConfig());
    const change = firstValueFrom(session.events$.pipe(ofType('session.model_change')));
    const result = await session.switchModel('gpt-5', { reasoningEffort: 'high' });
    expect(result).toMatchObject({ modelId: 'gpt-5', modelState: { modelId: 'gpt-5', reasoningEffort: 'high' } });
    await expect(change).resolves.toMatchObject({ data: { newModel: 'gpt-5' } });
    await expect(session.rpc.model.getCurrent()).resolves.toMatchObject({ modelId: 'gpt-5' });
    const before = cli.endpoint!.requests.length;
    await lastValueFrom(session.send({ prompt: 'Which model? [[chunks 2]]' }));
    const chat = cli.endpoint!.requests.slice(before).find((request) => request.path.includes('chat/completions'));
    expect((chat?.body as { model?: string }).model).toBe('gpt-5');
    await session.destroy();
  });

  it("writes to the session's log at a level, as a session event", async () => {
    const session = await cli.client.createSession(cli.sessionConfig());
    const warning = firstValueFrom(session.events$.pipe(filter((event) => event.type === 'session.warning')));
    const eventId = await session.log('disk almost full', { level: 'warning' });
    const event = await warning;
    expect(event).toMatchObject({ id: eventId, data: { message: 'disk almost full' } });
    await session.destroy();
  });
});

describe('onListModels on the real CLI', () => {
  it('supplies the model list instead of asking the CLI, which could not answer offline', async () => {
    const sandbox = await createCliSandbox();
    const model = { id: 'local-model', name: 'Local', capabilities: { supports: { toolCalls: true }, limits: {} } };
    const client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, onListModels: async () => [model] });
    try {
      await client.start();
      await expect(client.listModels()).resolves.toEqual([model]);
    } finally {
      await client.stop();
      await sandbox.dispose();
    }
  });
});
