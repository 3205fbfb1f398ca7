// A turn as a Node Readable with toReadable: piped, with stream.pipeline, through a Transform that
// keeps the text, to stdout. The Readable pulls (backpressure), and destroying it aborts the turn.
//
//   npm run build && node examples/node-interop/readable.mjs
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { toReadable } from '@copilot-rx/core';
import { offlineSession } from './offlineSession.mjs';

const { session, stop } = await offlineSession();

const text = new Transform({
  objectMode: true,
  transform(event, _encoding, done) {
    done(null, event.type === 'assistant.message_delta' ? event.data.deltaContent : undefined);
  },
});
process.stdout.write('readable: ');
await pipeline(toReadable(session.send({ prompt: 'Explain Node streams [[chunks 8]]' }), { objectMode: true }), text, process.stdout, { end: false });
process.stdout.write('\n');

await stop();
