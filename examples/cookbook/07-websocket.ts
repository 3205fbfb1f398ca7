// Recipe 7, WebSocket: a small server streaming turns to browser clients over `ws`, each connection
// with its own session; when a client leaves mid-answer the turn is aborted on the CLI. Then the same
// over HTTP with Server-Sent Events (what a browser's EventSource reads).
//
// toWebSocket() and toServerSentEvents() subscribe to the turn, honour the socket's backpressure with
// a bounded buffer, and unsubscribe when the client goes away: unsubscribing from session.send()
// is what aborts the turn. Both resolve with how the stream ended.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { WebSocket, WebSocketServer } from 'ws';
import { ofType, toServerSentEvents, toWebSocket } from '@copilot-rx/core';
import { bufferDeltas } from '@copilot-rx/operators';
import { runRecipe, type Backend } from './backend.js';

runRecipe(async (backend) => {
  await overWebSocket(backend);
  await overServerSentEvents(backend);
});

async function overWebSocket({ client, sessionConfig, prompt }: Backend): Promise<void> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const ended: Promise<string>[] = [];
  wss.on('connection', (socket) => {
    const session = client.createSession(sessionConfig());
    socket.once('message', (text) => {
      ended.push(
        session.then(async (s) => {
          const aborted = firstValueFrom(s.events$.pipe(ofType('abort', 'session.idle')));
          // Coalesced chunks, one JSON message each ({ text, ... }); the socket closes with 1000 at the end.
          const outcome = await toWebSocket(s.send({ prompt: String(text) }).pipe(bufferDeltas({ timeMs: 16 })), socket);
          const last = await aborted;
          await s.destroy();
          return `ws server: the stream ended: ${outcome.reason}${last.type === 'abort' ? `; cli: abort (${last.data.reason})` : ''}`;
        }),
      );
    });
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;

  // A browser that reads the whole answer.
  const reader = new WebSocket(url);
  let answer = '';
  reader.on('open', () => reader.send(prompt('How do I stream an answer to a WebSocket client?')));
  reader.on('message', (data) => (answer += (JSON.parse(String(data)) as { text: string }).text));
  const code = await new Promise((resolve) => reader.on('close', resolve));
  console.log(`ws client: ${answer.length} characters, "${answer.slice(0, 40)}...", closed with ${code}`);

  // A browser tab closed after the first chunk.
  const leaver = new WebSocket(url);
  leaver.on('open', () => leaver.send(prompt('Write an essay on reactive streams.', '[[chunks 400]] [[pace 20]]')));
  await new Promise((resolve) => leaver.once('message', resolve));
  leaver.terminate();
  console.log('ws client: left after the first chunk');

  for (const line of await Promise.all(ended)) console.log(line);
  wss.close();
}

async function overServerSentEvents({ client, sessionConfig, prompt }: Backend): Promise<void> {
  const outcomes: Promise<string>[] = [];
  const server = http.createServer((req, res) => {
    const text = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('prompt') ?? '';
    outcomes.push(
      (async () => {
        const session = await client.createSession(sessionConfig());
        const last = firstValueFrom(session.events$.pipe(ofType('abort', 'session.idle')));
        // One `event: assistant.message_delta` frame a delta, an `end` event at idle.
        const outcome = await toServerSentEvents(session.send({ prompt: text }).pipe(ofType('assistant.message_delta', 'session.idle')), res);
        const end = await last;
        await session.destroy();
        return `sse server: the stream ended: ${outcome.reason}${end.type === 'abort' ? `; cli: abort (${end.data.reason})` : ''}`;
      })(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ask?prompt=`;

  // What an EventSource does: read `data:` lines until the stream ends.
  const response = await fetch(base + encodeURIComponent(prompt('Explain Observables in two sentences.')));
  let answer = '';
  for (const [, data] of (await response.text()).matchAll(/^data: (.*)$/gm)) answer += (JSON.parse(data!) as { data?: { deltaContent?: string } }).data?.deltaContent ?? '';
  console.log(`sse client: ${answer.length} characters, "${answer.slice(0, 40)}..."`);

  // A client that leaves after the first bytes.
  const leaving = new AbortController();
  const stream = await fetch(base + encodeURIComponent(prompt('Write an essay on reactive streams.', '[[chunks 400]] [[pace 20]]')), { signal: leaving.signal });
  await stream.body?.getReader().read();
  leaving.abort();
  console.log('sse client: left after the first frame');

  for (const line of await Promise.all(outcomes)) console.log(line);
  server.close();
}
