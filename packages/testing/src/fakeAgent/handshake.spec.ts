import { FakeCopilotAgent } from './FakeCopilotAgent';
import { RpcTestClient, RpcResponseError } from './testSupport/RpcTestClient';

function connectClient(agent: FakeCopilotAgent): RpcTestClient {
  const { readable, writable } = agent.connectInMemory();
  return new RpcTestClient(readable, writable);
}

describe('FakeCopilotAgent handshake and server methods', () => {
  it('answers connect with protocol version 3 and its version, and taskKinds when asked', async () => {
    const client = connectClient(new FakeCopilotAgent());
    await expect(client.request('connect', {})).resolves.toEqual({ ok: true, protocolVersion: 3, version: '1.0.102' });
    await expect(client.request('connect', { supportedTaskKinds: ['agent'] })).resolves.toMatchObject({ taskKinds: ['agent', 'shell', 'client'] });
  });

  it('without a token, answers other methods before connect', async () => {
    const client = connectClient(new FakeCopilotAgent());
    await expect(client.request('ping', { message: 'hi' })).resolves.toMatchObject({ message: 'pong: hi', protocolVersion: 3 });
    await expect(client.request('status.get')).resolves.toEqual({ version: '0.0.1', protocolVersion: 3 });
  });

  describe('with a connection token', () => {
    const token = 'secret-token-123';

    it('refuses any method before connect with -32001 AUTHENTICATION_REQUIRED', async () => {
      const client = connectClient(new FakeCopilotAgent({ connectionToken: token }));
      await expect(client.request('ping')).rejects.toEqual(new RpcResponseError(-32001, 'AUTHENTICATION_REQUIRED'));
      await expect(client.request('session.create', { sessionId: 's' })).rejects.toMatchObject({ code: -32001 });
    });

    it('refuses connect with a wrong or missing token with -32002 AUTHENTICATION_FAILED, never echoing a token', async () => {
      const client = connectClient(new FakeCopilotAgent({ connectionToken: token }));
      await expect(client.request('connect', { token: 'wrong' })).rejects.toEqual(new RpcResponseError(-32002, 'AUTHENTICATION_FAILED'));
      await expect(client.request('connect', {})).rejects.toEqual(new RpcResponseError(-32002, 'AUTHENTICATION_FAILED'));
      await expect(client.request('connect', { token: 42 })).rejects.toMatchObject({ code: -32002 });
      expect(JSON.stringify(client.received)).not.toContain(token);
      await expect(client.request('ping')).rejects.toMatchObject({ code: -32001 });
    });

    it('answers everything after connect with the right token', async () => {
      const client = connectClient(new FakeCopilotAgent({ connectionToken: token }));
      await expect(client.request('connect', { token })).resolves.toMatchObject({ ok: true, protocolVersion: 3 });
      await expect(client.request('ping')).resolves.toMatchObject({ message: 'pong: ' });
    });

    it('checks each connection on its own', async () => {
      const agent = new FakeCopilotAgent({ connectionToken: token });
      const first = connectClient(agent);
      const second = connectClient(agent);
      await first.request('connect', { token });
      await expect(second.request('ping')).rejects.toMatchObject({ code: -32001 });
    });
  });

  it('answers an unknown method with -32601 "Unhandled method X"', async () => {
    const client = connectClient(new FakeCopilotAgent());
    await expect(client.request('session.fly', {})).rejects.toEqual(new RpcResponseError(-32601, 'Unhandled method session.fly'));
  });

  it('answers params that are not an object with -32602 naming the method', async () => {
    const client = connectClient(new FakeCopilotAgent());
    client.sendRaw({ jsonrpc: '2.0', id: 99, method: 'ping', params: [1, 2] });
    const answer = await client.waitFor((message) => message.id === 99);
    expect(answer.error).toEqual({ code: -32602, message: 'Invalid params for ping: params must be an object. Got [1,2]' });
  });

  it('answers a message that is not JSON-RPC 2.0 with -32600 and the reason', async () => {
    const client = connectClient(new FakeCopilotAgent());
    client.sendRaw({ jsonrpc: '1.0', id: 5, method: 'ping' });
    const answer = await client.waitFor((message) => message.id === 5);
    expect(answer.error).toEqual({ code: -32600, message: '"jsonrpc" must be "2.0". Got "1.0"' });
  });

  it('answers broken framing with -32700 quoting the bad header, then hangs up', async () => {
    const client = connectClient(new FakeCopilotAgent());
    client.sendBytes('Content-Length: abc\r\n\r\n{}');
    await client.ended;
    expect(client.received).toEqual([{ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Content-Length value must be a number. Got "abc"' } }]);
  });

  it('answers runtime.shutdown with null and shuts every session down first', async () => {
    const client = connectClient(new FakeCopilotAgent());
    await client.request('session.create', { sessionId: 's1' });
    await expect(client.request('runtime.shutdown')).resolves.toBeNull();
    expect(client.outline((line) => line.startsWith('E session.shutdown') || line === 'R runtime.shutdown')).toEqual(['E session.shutdown', 'R runtime.shutdown']);
  });
});
