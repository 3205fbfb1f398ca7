// An HTTP endpoint that streams a turn as Server-Sent Events with toServerSentEvents, and what happens
// when the browser goes away mid-answer: the subscription ends and the turn is aborted on the CLI.
//
//   npm run build && node examples/node-interop/sse.mjs
import http from 'node:http';
import { ofType, toServerSentEvents } from '@copilot-rx/core';
import { offlineSession } from './offlineSession.mjs';

const { session, stop } = await offlineSession();

const server = http.createServer(async (req, res) => {
  const prompt = new URL(req.url, 'http://127.0.0.1').searchParams.get('prompt') ?? 'Hello';
  const turn$ = session.send({ prompt }).pipe(ofType('assistant.message_delta', 'session.idle'));
  // One `event: assistant.message_delta` frame a delta, an `end` event at idle; backpressure honoured.
  const outcome = await toServerSentEvents(turn$, res, { heartbeatMs: 15_000 });
  console.log(`server: the stream ended: ${outcome.reason}`);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/ask`;

// A client that reads the whole answer.
await new Promise((resolve) => {
  http.get(`${base}?prompt=${encodeURIComponent('Explain SSE [[chunks 8]]')}`, (res) => {
    let answer = '';
    res.setEncoding('utf8');
    res.on('data', (text) => {
      for (const [, data] of text.matchAll(/^data: (.*)$/gm)) answer += JSON.parse(data).data?.deltaContent ?? '';
    });
    res.on('end', () => {
      console.log(`client: ${answer}`);
      resolve();
    });
  });
});

// A client that leaves after the first frame: the server's subscription ends, the turn is aborted.
const aborted = new Promise((resolve) => session.events$.pipe(ofType('abort')).subscribe(resolve));
http.get(`${base}?prompt=${encodeURIComponent('A long story [[chunks 500]] [[pace 20]]')}`, (res) => res.once('data', () => res.destroy()));
console.log(`cli: ${(await aborted).type} (${(await aborted).data.reason})`);

server.close();
await stop();
