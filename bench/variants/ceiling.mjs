/**
 * The ceiling: a hand-written Content-Length splitter and JSON.parse on a raw socket, counting
 * session.event notifications. No decoding, no routing, no RxJS: what reading the bytes costs.
 */
import { connect } from 'node:net';
import { frame, splitter } from '../lib/frames.mjs';
import { runVariant } from './runVariant.mjs';

let socket;
let nextId = 0;
const pending = new Map();
let onEvent = () => undefined;

function request(method, params) {
  const id = nextId++;
  socket.write(frame({ jsonrpc: '2.0', id, method, params }));
  return new Promise((resolve) => pending.set(id, resolve));
}

await runVariant({
  async connect(port) {
    socket = connect({ port, host: '127.0.0.1', noDelay: true });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.on(
      'data',
      splitter((message) => {
        if (message.method === 'session.event') onEvent(message.params.event);
        else if (message.method === undefined) pending.get(message.id)?.(message.result);
      }),
    );
    await request('connect', {});
  },
  async createSessions(ids, each) {
    onEvent = each;
    await Promise.all(ids.map((sessionId) => request('session.create', { sessionId })));
  },
  send: (sessionId, prompt) => request('session.send', { sessionId, prompt }),
  async close() {
    socket.destroy();
  },
});
