/**
 * The typed RPC surface (`client.rpc`, `session.rpc`) against core's in-memory fake CLI: what goes on
 * the wire, how results are decoded, and the Observable form's cold send and cancel on unsubscribe.
 */
import { firstValueFrom } from 'rxjs';
import { CopilotRxClient } from '../client/CopilotRxClient';
import { RequestTimeoutError, ResponseDecodeError, RpcError } from '../errors';
import { FakeCli, FakeError, NO_ANSWER } from '../testSupport/fakeCli';
import { InvalidParamsError, ResultDecodeError } from './errors';

async function started(cli = new FakeCli()) {
  const client = new CopilotRxClient({ transport: cli.transport() });
  await client.start();
  return { cli, client };
}

const pong = (params: Record<string, unknown>) => ({ message: params['message'] ?? 'pong', timestamp: '2026-01-01T00:00:00Z', protocolVersion: 3 });

describe('client.rpc', () => {
  it('sends a server method with its params and resolves with the decoded result', async () => {
    const { cli, client } = await started();
    cli.handle('ping', pong);
    await expect(client.rpc.ping({ message: 'hi' })).resolves.toEqual({ message: 'hi', timestamp: '2026-01-01T00:00:00Z', protocolVersion: 3 });
    expect(cli.requestsOf('ping').map((m) => m.params)).toEqual([{ message: 'hi' }]);
    await client.stop();
  });

  it('sends an empty object for a method called without params', async () => {
    const { cli, client } = await started();
    cli.handle('models.getBuiltInCatalog', () => ({ models: [{ id: 'm1' }] }));
    await client.rpc.models.getBuiltInCatalog();
    expect(cli.requestsOf('models.getBuiltInCatalog')[0]?.params).toEqual({});
    await client.stop();
  });

  it('lets fields the schema does not list through', async () => {
    const { cli, client } = await started();
    cli.handle('ping', (params) => ({ ...pong(params), addedInANewerCli: { x: 1 } }));
    await expect(client.rpc.ping()).resolves.toMatchObject({ addedInANewerCli: { x: 1 } });
    await client.stop();
  });

  it('rejects a result of the wrong shape with ResultDecodeError naming the method and the paths', async () => {
    const { cli, client } = await started();
    cli.handle('ping', () => ({ message: 'pong', protocolVersion: 'three' }));
    const error = await client.rpc.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultDecodeError);
    expect(error).toBeInstanceOf(ResponseDecodeError);
    const decodeError = error as ResultDecodeError;
    expect(decodeError.method).toBe('ping');
    expect(decodeError.paths).toEqual(
      expect.arrayContaining(['result.timestamp: expected string, got nothing', 'result.protocolVersion: expected number, got "three"']),
    );
    expect(decodeError.raw).toEqual({ message: 'pong', protocolVersion: 'three' });
    expect(decodeError.message).toContain('ping');
    await client.stop();
  });

  it('quotes a bounded number of paths and bounded values in the message', async () => {
    const { cli, client } = await started();
    const huge = 'x'.repeat(10_000);
    cli.handle('models.list', () => ({ models: Array.from({ length: 50 }, () => ({ id: huge })) }));
    const error = (await client.rpc.models.list().catch((e: unknown) => e)) as ResultDecodeError;
    expect(error).toBeInstanceOf(ResultDecodeError);
    expect(error.paths.length).toBeGreaterThan(8);
    expect(error.message).toMatch(/\(and \d+ more\)/);
    expect(error.message.length).toBeLessThan(2_000);
    await client.stop();
  });

  it('rejects params of the wrong type with InvalidParamsError and sends nothing', async () => {
    const { cli, client } = await started();
    const error = await client.rpc.ping({ message: 42 as unknown as string }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect((error as InvalidParamsError).paths).toEqual(['params.message: expected string, got 42']);
    expect(cli.requestsOf('ping')).toHaveLength(0);
    await client.stop();
  });

  it('fails with the CLI error as an RpcError', async () => {
    const { cli, client } = await started();
    cli.handle('ping', () => {
      throw new FakeError(-32603, 'boom');
    });
    const error = await client.rpc.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ method: 'ping', rpcCode: -32603 });
    await client.stop();
  });

  it("bounds one call's wait with its own timeoutMs, cancelling the request", async () => {
    const { cli, client } = await started();
    cli.handle('ping', () => NO_ANSWER);
    const error = await client.rpc.ping(undefined, { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ method: 'ping' });
    const request = await cli.nextRequest('ping');
    expect((await cli.next((m) => m.method === '$/cancelRequest')).params).toEqual({ id: request.id });
    await client.stop();
  });

  it('names each method by its wire name and binds every namespace once', async () => {
    const { client } = await started();
    expect(client.rpc.sessions.list.method).toBe('sessions.list');
    expect(client.rpc.mcp.config.list.method).toBe('mcp.config.list');
    expect(client.rpc.mcp).toBe(client.rpc.mcp);
    expect(client.rpc).toBe(client.rpc);
    await client.stop();
  });
});

describe('the Observable form (.$)', () => {
  it('is cold: sends when subscribed, once per subscription', async () => {
    const { cli, client } = await started();
    cli.handle('ping', pong);
    const ping$ = client.rpc.ping.$({ message: 'cold' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(cli.requestsOf('ping')).toHaveLength(0);
    await expect(firstValueFrom(ping$)).resolves.toMatchObject({ message: 'cold' });
    await firstValueFrom(ping$);
    expect(cli.requestsOf('ping')).toHaveLength(2);
    await client.stop();
  });

  it('cancels the request on the wire when unsubscribed before the answer', async () => {
    const { cli, client } = await started();
    cli.handle('sessions.list', () => NO_ANSWER);
    const subscription = client.rpc.sessions.list.$().subscribe();
    const request = await cli.nextRequest('sessions.list');
    subscription.unsubscribe();
    const cancel = await cli.next((m) => m.method === '$/cancelRequest');
    expect(cancel.params).toEqual({ id: request.id });
    await client.stop();
  });

  it('errors with ResultDecodeError, as the Promise form rejects', async () => {
    const { cli, client } = await started();
    cli.handle('ping', () => ({ message: 7 }));
    await expect(firstValueFrom(client.rpc.ping.$())).rejects.toBeInstanceOf(ResultDecodeError);
    await client.stop();
  });
});

describe('session.rpc', () => {
  it("fills in the session's id, over one given in the params", async () => {
    const { cli, client } = await started();
    cli.handle('session.model.switchTo', (params) => ({ modelId: params['modelId'] }));
    const session = await client.createSession();
    const other = { sessionId: 'someone-else' } as object;
    await expect(session.rpc.model.switchTo({ modelId: 'gpt-5', ...other })).resolves.toEqual({ modelId: 'gpt-5' });
    expect(cli.requestsOf('session.model.switchTo')[0]?.params).toEqual({ modelId: 'gpt-5', sessionId: session.id });
    await client.stop();
  });

  it('sends only the session id for a method that needs nothing else', async () => {
    const { cli, client } = await started();
    cli.handle('session.model.getCurrent', () => ({ modelId: 'claude-sonnet-4.5' }));
    const session = await client.createSession();
    await expect(session.rpc.model.getCurrent()).resolves.toMatchObject({ modelId: 'claude-sonnet-4.5' });
    expect(cli.requestsOf('session.model.getCurrent')[0]?.params).toEqual({ sessionId: session.id });
    await client.stop();
  });

  it('cancels on unsubscribe too', async () => {
    const { cli, client } = await started();
    cli.handle('session.history.compact', () => NO_ANSWER);
    const session = await client.createSession();
    const subscription = session.rpc.history.compact.$().subscribe();
    const request = await cli.nextRequest('session.history.compact');
    subscription.unsubscribe();
    expect((await cli.next((m) => m.method === '$/cancelRequest')).params).toEqual({ id: request.id });
    await client.stop();
  });
});
