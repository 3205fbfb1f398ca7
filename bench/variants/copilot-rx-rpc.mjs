/**
 * An alternative measured for the design, not a product path: copilot-rx's RPC layer alone
 * (RpcConnection with FastMessageReader), counting session.event notifications from `notifications$`
 * with no decoding or routing. It shows what the reader costs on top of the ceiling, and, set against
 * raw vscode-jsonrpc, what taking notifications off vscode-jsonrpc's queue is worth.
 * RpcConnection is internal to @copilot-rx/core, so it is imported from the build output.
 */
import { tcpTransport } from '@copilot-rx/core';
import { RpcConnection } from '../../packages/core/dist/esm/rpc/connection.js';
import { runVariant } from './runVariant.mjs';

let transport;
let rpc;
let onEvent = () => undefined;

await runVariant({
  async connect(port) {
    transport = await tcpTransport({ port }).open();
    rpc = new RpcConnection(transport);
    rpc.notifications$.subscribe((notification) => {
      if (notification.method === 'session.event') onEvent(notification.params.event);
    });
    await rpc.call('connect', {});
  },
  async createSessions(ids, each) {
    onEvent = each;
    await Promise.all(ids.map((sessionId) => rpc.call('session.create', { sessionId })));
  },
  send: (sessionId, prompt) => rpc.call('session.send', { sessionId, prompt }),
  async close() {
    rpc.dispose();
    await transport.dispose();
  },
});
