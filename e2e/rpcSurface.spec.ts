/**
 * The typed RPC surface (`client.rpc`, `session.rpc`) end to end, offline: against the real Copilot CLI
 * (streaming from a scripted model endpoint on 127.0.0.1) every answer below is decoded by the codecs
 * generated from that CLI's own schema; against the fake agent, the methods it implements answer the
 * same way through the same surface.
 */
import { filter, firstValueFrom } from 'rxjs';
import { startBackend, type Backend, type BackendKind } from './support/backends';

jest.setTimeout(90_000);

describe.each<BackendKind>(['real-stdio', 'fake-stdio'])('client.rpc and session.rpc against %s', (kind) => {
  let cli: Backend;
  beforeAll(async () => {
    cli = await startBackend(kind);
  });
  afterAll(async () => {
    await cli?.dispose();
  });

  it('pings the server as a Promise and as a cold Observable', async () => {
    const answer = await cli.client.rpc.ping({ message: 'typed' });
    expect(answer.message).toContain('typed');
    expect(answer.protocolVersion).toBe(3);
    const again = await firstValueFrom(cli.client.rpc.ping.$({ message: 'cold' }));
    expect(again.message).toContain('cold');
  });

  it("sends a turn and aborts it through the session's own methods, its id filled in", async () => {
    const session = await cli.client.createSession(cli.sessionConfig());
    const firstDelta = firstValueFrom(session.events$.pipe(filter((event) => event.type === 'assistant.message_delta')));
    const idle = firstValueFrom(session.events$.pipe(filter((event) => event.type === 'session.idle')));
    const sent = await session.rpc.send({ prompt: 'Say something long [[chunks 200]] [[pace 20]]' });
    expect(typeof sent.messageId).toBe('string');
    await firstDelta;
    await session.rpc.abort();
    const ended = await idle;
    expect(ended.type === 'session.idle' && ended.data.aborted).toBe(true);
    await session.destroy();
  });
});

describe('methods only the real CLI implements', () => {
  let cli: Backend;
  beforeAll(async () => {
    cli = await startBackend('real-stdio');
  });
  afterAll(async () => {
    await cli?.dispose();
  });

  it("reads a session's model, mode and name, decoded by the generated codecs", async () => {
    const session = await cli.client.createSession(cli.sessionConfig());
    const model = await session.rpc.model.getCurrent();
    expect(model.modelId).toBe('claude-sonnet-4.5');
    const mode = await session.rpc.mode.get();
    expect(typeof mode).toBe('string');
    await session.rpc.name.set({ name: 'typed surface' });
    await expect(session.rpc.name.get()).resolves.toMatchObject({ name: 'typed surface' });
    await session.destroy();
  });

  it('lists the built-in model catalog and the saved sessions', async () => {
    const catalog = await cli.client.rpc.models.getBuiltInCatalog();
    expect(catalog.models.length).toBeGreaterThan(0);
    // A fresh sandbox has saved no session yet: the point is that the answer decodes.
    const listed = await cli.client.rpc.sessions.list();
    expect(Array.isArray(listed.sessions)).toBe(true);
  });
});
