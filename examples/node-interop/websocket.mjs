// A WebSocket server (the `ws` package) that answers each message with a streamed turn, using
// toWebSocket: one JSON message a delta, backpressure from the socket's buffer, the turn aborted if the
// socket closes.
//
//   npm run build && node examples/node-interop/websocket.mjs
import { WebSocket, WebSocketServer } from 'ws';
import { toWebSocket } from '@copilot-rx/core';
import { bufferDeltas } from '@copilot-rx/operators';
import { offlineSession } from './offlineSession.mjs';

const { session, stop } = await offlineSession();

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (socket) => {
  socket.once('message', async (prompt) => {
    // Coalesced chunks rather than single deltas: fewer, larger messages.
    const chunks$ = session.send({ prompt: String(prompt) }).pipe(bufferDeltas({ timeMs: 16 }));
    const outcome = await toWebSocket(chunks$, socket);
    console.log(`server: the stream ended: ${outcome.reason}`);
  });
});
await new Promise((resolve) => wss.once('listening', resolve));

const client = new WebSocket(`ws://127.0.0.1:${wss.address().port}`);
let answer = '';
client.on('open', () => client.send('Explain WebSockets [[chunks 8]]'));
client.on('message', (data) => (answer += JSON.parse(String(data)).text));
const code = await new Promise((resolve) => client.on('close', resolve));
console.log(`client: ${answer}`);
console.log(`client: closed with ${code}`);

wss.close();
await stop();
