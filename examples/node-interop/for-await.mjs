// A turn in a `for await` loop with toAsyncIterable (a bounded buffer between the Observable and the
// loop); leaving the loop early aborts the turn on the CLI.
//
//   npm run build && node examples/node-interop/for-await.mjs
import { ofType, toAsyncIterable } from '@copilot-rx/core';
import { offlineSession } from './offlineSession.mjs';

const { session, stop } = await offlineSession();

let answer = '';
for await (const event of toAsyncIterable(session.send({ prompt: 'Explain async iterators [[chunks 8]]' }))) {
  if (event.type === 'assistant.message_delta') answer += event.data.deltaContent;
}
console.log(`loop: ${answer}`);

// Break after three deltas of a long answer: the iterator's return() unsubscribes, which aborts.
const aborted = new Promise((resolve) => session.events$.pipe(ofType('abort')).subscribe(resolve));
let deltas = 0;
for await (const event of toAsyncIterable(session.send({ prompt: 'A long story [[chunks 500]] [[pace 20]]' }), { bufferSize: 256 })) {
  if (event.type === 'assistant.message_delta' && ++deltas === 3) break;
}
console.log(`loop: left after ${deltas} deltas; cli: ${(await aborted).type} (${(await aborted).data.reason})`);

await stop();
