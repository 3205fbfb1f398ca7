/**
 * The replay server: a stand-in for `copilot --headless --port N` on 127.0.0.1 that answers the
 * handshake and session requests the way the CLI did in the recording, and on `session.send` writes
 * the recorded notifications back: as fast as the socket takes them (`flood`), or paced at a fixed
 * rate with the write time stamped into each event id (`paced`, for latency).
 *
 * Run as a child of the harness: `fork(replayServer.mjs, [JSON config])`; it builds its floods once,
 * then reports `{ type: 'ready', port, ... }` over IPC and serves one client connection after another.
 * The prompt of `session.send` picks what to write: `warmup`, `flood`, `paced-warmup` or `paced`.
 */
import { createServer } from 'node:net';
import { frame, splitter } from './frames.mjs';
import { benchSessionId, buildFlood, loadRecording } from './recording.mjs';

const config = JSON.parse(process.argv[2] ?? '{}');
const { sessions = 1, repetitions = 50, warmupRepetitions = 2, rate = 10_000, pacedMs = 5_000, pacedWarmupMs = 1_000 } = config;

const recording = loadRecording(config.recording);
// The warm-up's repetitions are numbered after the flood's, so their event ids never collide.
const flood = buildFlood(recording, { repetitions, sessions });
const warmup = buildFlood(recording, { repetitions: warmupRepetitions, sessions, firstRepetition: 0x10000 });
const paced = pacedTemplate(recording);

const server = createServer((socket) => {
  socket.setNoDelay(true);
  let open = true;
  socket.on('close', () => (open = false));
  socket.on('error', () => (open = false));
  const reply = (id, result) => open && socket.write(frame({ jsonrpc: '2.0', id, result }));
  socket.on(
    'data',
    splitter((message) => {
      if (message.method === undefined || message.id === undefined) return;
      const { id, method, params = {} } = message;
      switch (method) {
        case 'connect':
        case 'ping':
          return reply(id, { ok: true, protocolVersion: 3, version: 'replay', message: 'pong' });
        case 'session.create':
        case 'session.resume':
          return reply(id, { ...recording.createResult, sessionId: params.sessionId, nativeSessionId: params.sessionId });
        case 'session.send': {
          reply(id, { messageId: `m-${id}` });
          const prompt = typeof params.prompt === 'string' ? params.prompt : '';
          if (prompt === 'flood') return void writeFlood(socket, flood.chunks, () => open);
          if (prompt === 'warmup') return void writeFlood(socket, warmup.chunks, () => open);
          if (prompt === 'paced') return writePaced(socket, pacedMs, () => open);
          if (prompt === 'paced-warmup') return writePaced(socket, pacedWarmupMs, () => open);
          return undefined;
        }
        case 'runtime.shutdown':
          return reply(id, null);
        default:
          // session.destroy, abort, options updates...: the CLI answers these with small objects.
          return reply(id, { success: true });
      }
    }),
  );
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({
    type: 'ready',
    port: server.address().port,
    floodEvents: flood.events,
    floodBytes: flood.bytes,
    warmupEvents: warmup.events,
    pacedEvents: Math.floor((rate * pacedMs) / 1000),
    pacedWarmupEvents: Math.floor((rate * pacedWarmupMs) / 1000),
  });
});
process.on('disconnect', () => process.exit(0));

/** Writes every chunk, waiting for 'drain' when the socket's buffer is full (TCP backpressure). */
async function writeFlood(socket, chunks, isOpen) {
  for (const chunk of chunks) {
    if (!isOpen()) return;
    if (!socket.write(chunk)) await drained(socket);
  }
}

/** Resolves on 'drain' or 'close', whichever comes first, leaving no listener behind. */
function drained(socket) {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done).off('close', done);
      resolve();
    };
    socket.on('drain', done).on('close', done);
  });
}

/**
 * Writes `rate` assistant.message_delta events a second for `durationMs`, one write per event, each
 * stamped just before its write with process.hrtime (CLOCK_MONOTONIC: the same clock in every
 * process on this machine, so the client can subtract it from its own).
 */
function writePaced(socket, durationMs, isOpen) {
  const total = Math.floor((rate * durationMs) / 1000);
  const start = process.hrtime.bigint();
  let sent = 0;
  const tick = () => {
    const elapsedNs = Number(process.hrtime.bigint() - start);
    const due = Math.min(total, Math.floor((elapsedNs * rate) / 1e9));
    while (sent < due && isOpen()) {
      socket.write(frame(`${paced.before}L${sent}-${process.hrtime.bigint()}${paced.after}`));
      sent++;
    }
    if (sent < total && isOpen()) setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
}

/** A recorded delta notification, for session 0, split around its event id. */
function pacedTemplate({ notifications }) {
  const delta = notifications.map((n) => JSON.parse(n.text)).find((m) => m.params?.event?.type === 'assistant.message_delta');
  delta.params.sessionId = benchSessionId(0);
  delta.params.event.id = '__ID__';
  const [before, after] = JSON.stringify(delta).split('__ID__');
  return { before, after };
}
