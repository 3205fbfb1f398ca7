import { connect, type Socket } from 'node:net';
import { FakeCopilotAgent } from './FakeCopilotAgent';
import { RpcTestClient } from './testSupport/RpcTestClient';
import { dataOf, WEATHER_TOOL } from './testSupport/session';

async function socketClient(port: number): Promise<{ client: RpcTestClient; socket: Socket }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { client: new RpcTestClient(socket, socket), socket };
}

describe('FakeCopilotAgent over TCP', () => {
  it('listens on 127.0.0.1 only, on a free port by default', async () => {
    const agent = new FakeCopilotAgent();
    const server = await agent.listen();
    try {
      expect(server.host).toBe('127.0.0.1');
      expect(server.port).toBeGreaterThan(0);
    } finally {
      await agent.close();
    }
  });

  it('serves several clients: both see the broadcast prompt, the first answer wins, the other gets {success:false}', async () => {
    const token = 'multi-client-token';
    const agent = new FakeCopilotAgent({ connectionToken: token });
    const server = await agent.listen();
    const first = await socketClient(server.port);
    const second = await socketClient(server.port);
    try {
      await first.client.request('connect', { token });
      await second.client.request('connect', { token });
      await first.client.request('session.create', { sessionId: 'shared', streaming: true, requestPermission: true, tools: [WEATHER_TOOL] });
      await second.client.request('session.resume', { sessionId: 'shared', streaming: true, requestPermission: true });

      await first.client.request('session.send', { sessionId: 'shared', prompt: 'Weather? [[tool get_weather {"city":"Paris"}]]' });
      const [seenByFirst, seenBySecond] = await Promise.all([first.client.waitForEvent('permission.requested'), second.client.waitForEvent('permission.requested')]);
      expect(seenBySecond).toEqual(seenByFirst);
      const answer = { sessionId: 'shared', requestId: dataOf(seenByFirst)['requestId'], result: { kind: 'approve-once' } };
      await expect(second.client.request('session.permissions.handlePendingPermissionRequest', answer)).resolves.toEqual({ success: true });
      await expect(first.client.request('session.permissions.handlePendingPermissionRequest', answer)).resolves.toEqual({ success: false });
      await first.client.waitForEvent('permission.completed');

      // The tool belongs to the connection that declared it; it answers the call.
      const requestId = dataOf(await first.client.waitForEvent('external_tool.requested'))['requestId'];
      await first.client.request('session.tools.handlePendingToolCall', { sessionId: 'shared', requestId, result: 'Sunny' });
      await Promise.all([first.client.waitForEvent('session.idle'), second.client.waitForEvent('session.idle')]);
    } finally {
      first.socket.destroy();
      second.socket.destroy();
      await agent.close();
    }
  });

  it('cuts every socket when it crashes', async () => {
    const agent = new FakeCopilotAgent();
    const server = await agent.listen();
    const { client } = await socketClient(server.port);
    await client.request('ping');
    agent.crash({ exitCode: 2, stderr: 'gone' });
    await client.ended;
    await expect(agent.exited).resolves.toEqual({ exitCode: 2, stderr: 'gone' });
  });
});
