/**
 * Raw vscode-jsonrpc (the version @copilot-rx/core pins) over the socket with one counting
 * session.event handler: what every vscode-jsonrpc client, the official SDK included, is bound by.
 */
import { connect } from 'node:net';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { runVariant } from './runVariant.mjs';

let socket;
let connection;
let onEvent = () => undefined;

await runVariant({
  async connect(port) {
    socket = connect({ port, host: '127.0.0.1', noDelay: true });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    connection = createMessageConnection(new StreamMessageReader(socket), new StreamMessageWriter(socket));
    connection.onNotification('session.event', (params) => onEvent(params.event));
    connection.listen();
    await connection.sendRequest('connect', {});
  },
  async createSessions(ids, each) {
    onEvent = each;
    await Promise.all(ids.map((sessionId) => connection.sendRequest('session.create', { sessionId })));
  },
  send: (sessionId, prompt) => connection.sendRequest('session.send', { sessionId, prompt }),
  async close() {
    connection.dispose();
    socket.destroy();
  },
});
