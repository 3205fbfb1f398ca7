import { PassThrough } from 'node:stream';
import type { Message } from 'vscode-jsonrpc/node';
import { FastMessageReader, type FastReaderConfig } from './fastReader';
import type { MalformedMessageError } from './malformed';

function frame(message: unknown): Buffer {
  const body = Buffer.from(typeof message === 'string' ? message : JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'latin1'), body]);
}

const note = (method: string, params: unknown = {}) => ({ jsonrpc: '2.0', method, params });
const response = (id: number) => ({ jsonrpc: '2.0', id, result: { ok: id } });

/** A reader over a PassThrough, with vscode-jsonrpc's side played by hand: `dispatch` is its queue. */
function setup(config?: FastReaderConfig) {
  const stream = new PassThrough();
  const log: string[] = [];
  const malformed: MalformedMessageError[] = [];
  const reader = new FastMessageReader(
    stream,
    { notification: (m) => log.push(m.method), malformed: (e) => malformed.push(e) },
    config,
  );
  const handed: Message[] = [];
  reader.listen((m) => handed.push(m));
  let closed = false;
  reader.onClose(() => (closed = true));
  const dispatch = (message: Message) => reader.messageStrategy.handleMessage(message, () => undefined);
  return { stream, log, malformed, reader, handed, dispatch, isClosed: () => closed };
}

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('FastMessageReader', () => {
  it('delivers notifications synchronously, in wire order, without vscode-jsonrpc', async () => {
    const { stream, log, handed } = setup();
    stream.write(Buffer.concat([frame(note('a')), frame(note('b')), frame(note('c'))]));
    await macrotask();
    expect(log).toEqual(['a', 'b', 'c']);
    expect(handed).toEqual([]);
  });

  it('holds what follows a response until vscode-jsonrpc dispatched it and a macrotask passed', async () => {
    const { stream, log, handed, dispatch } = setup();
    stream.write(Buffer.concat([frame(note('before')), frame(response(1)), frame(note('after'))]));
    await macrotask();
    expect(log).toEqual(['before']);
    expect(handed).toEqual([response(1)]);
    const [held] = handed;
    dispatch(held!);
    // Dispatch alone is not enough: its promise continuations must run first.
    expect(log).toEqual(['before']);
    await macrotask();
    expect(log).toEqual(['before', 'after']);
  });

  it('treats a server request as a barrier too, and passes $/ notifications on without one', async () => {
    const { stream, log, handed, dispatch } = setup();
    const request = { jsonrpc: '2.0', id: 7, method: 'userInput.request', params: {} };
    const cancel = note('$/cancelRequest', { id: 3 });
    stream.write(Buffer.concat([frame(cancel), frame(note('x')), frame(request), frame(note('y'))]));
    await macrotask();
    expect(handed).toEqual([cancel, request]);
    expect(log).toEqual(['x']);
    dispatch(handed[1]!);
    await macrotask();
    expect(log).toEqual(['x', 'y']);
  });

  it('reports bad JSON and non-JSON-RPC messages and reads on', async () => {
    const { stream, log, malformed } = setup();
    stream.write(
      Buffer.concat([frame('{"method": "broken"'), frame('[1,2]'), frame({ id: 1 }), frame({ method: 5 }), frame(note('ok'))]),
    );
    await macrotask();
    expect(log).toEqual(['ok']);
    expect(malformed.map((e) => e.reason)).toEqual(['bad-json', 'not-json-rpc', 'not-json-rpc', 'not-json-rpc']);
    expect(malformed[0]!.excerpt).toBe('{"method": "broken"');
    expect(malformed[0]!.message).toMatch(/^Skipped a malformed message from the CLI \(bad-json\): .*JSON at position 19/);
    expect(malformed[2]!.detail).toMatch(/neither a request, a response nor a notification/);
    expect(malformed[3]!.detail).toBe('method must be a string. Got 5');
  });

  it('pauses the stream while vscode-jsonrpc is behind, so a producer stalls instead of being read ahead of', async () => {
    const highWaterMark = 256 * 1024;
    const { stream, log, handed, dispatch, reader } = setup({ highWaterMark });
    stream.write(frame(response(1)));
    await macrotask();
    expect(handed).toHaveLength(1);

    // A well-behaved producer: writes 64 KiB batches of notifications until the stream says stop.
    const batch = Buffer.concat(Array.from({ length: 160 }, (_, i) => frame(note('n', { i, pad: 'p'.repeat(300) }))));
    const notesPerBatch = 160;
    let written = 0;
    let batches = 0;
    const target = 10 * 1024 * 1024;
    const produce = async () => {
      while (written < target) {
        batches++;
        written += batch.length;
        if (!stream.write(batch)) await new Promise((resolve) => stream.once('drain', resolve));
      }
    };
    const done = produce();
    for (let i = 0; i < 20; i++) await macrotask();
    // Held at the barrier: the reader holds at most its high-water mark plus the batch that crossed
    // it, the stream its own small buffers, and the producer waits for 'drain'.
    expect(log).toEqual([]);
    expect(reader.paused).toBe(true);
    expect(stream.isPaused()).toBe(true);
    expect(reader.bufferedBytes).toBeLessThanOrEqual(highWaterMark + batch.length);
    expect(written).toBeLessThan(highWaterMark + 4 * batch.length + stream.writableHighWaterMark + stream.readableHighWaterMark);

    dispatch(handed[0]!);
    await done;
    for (let i = 0; i < 5 && log.length < batches * notesPerBatch; i++) await macrotask();
    expect(log).toHaveLength(batches * notesPerBatch);
    expect(reader.paused).toBe(false);
    expect(reader.bufferedBytes).toBe(0);
  });

  it('at the end of the stream, delivers what was held, reports a cut frame, then closes', async () => {
    const { stream, log, handed, dispatch, malformed, isClosed } = setup();
    stream.write(Buffer.concat([frame(response(1)), frame(note('held')), frame(note('cut')).subarray(0, 30)]));
    stream.end();
    await macrotask();
    expect(isClosed()).toBe(false);
    dispatch(handed[0]!);
    await macrotask();
    expect(log).toEqual(['held']);
    expect(malformed.map((e) => e.reason)).toEqual(['truncated']);
    expect(isClosed()).toBe(true);
  });

  it('reads a stream that was paused before it started listening, bytes already buffered included', async () => {
    const stream = new PassThrough();
    stream.pause();
    stream.write(frame(note('early')));
    const log: string[] = [];
    const reader = new FastMessageReader(stream, { notification: (m) => log.push(m.method), malformed: () => undefined });
    reader.listen(() => undefined);
    await macrotask();
    expect(log).toEqual(['early']);
  });

  it('lifts the barrier when handing a response to vscode-jsonrpc throws, and reports it', async () => {
    const stream = new PassThrough();
    const log: string[] = [];
    const malformed: MalformedMessageError[] = [];
    const reader = new FastMessageReader(stream, { notification: (m) => log.push(m.method), malformed: (e) => malformed.push(e) });
    reader.listen(() => {
      throw new Error('jsonrpc bug');
    });
    stream.write(Buffer.concat([frame(response(1)), frame(note('after'))]));
    await macrotask();
    expect(log).toEqual(['after']);
    expect(malformed.map((e) => [e.reason, e.cause instanceof Error && e.cause.message])).toEqual([['delivery-failed', 'jsonrpc bug']]);
  });

  it('stops delivering once disposed', async () => {
    const { stream, log, reader } = setup();
    reader.dispose();
    stream.write(frame(note('late')));
    await macrotask();
    expect(log).toEqual([]);
  });
});

describe('FastMessageReader stall reports', () => {
  const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  /** Waits for the first report of `reason`, at most 2 s. */
  async function reportOf(malformed: MalformedMessageError[], reason: string): Promise<MalformedMessageError> {
    for (let waited = 0; waited < 2000; waited += 10) {
      const found = malformed.find((e) => e.reason === reason);
      if (found) return found;
      await wait(10);
    }
    throw new Error(`no ${reason} report within 2 s`);
  }

  it('reports once when a lying Content-Length swallows the frames after it while bytes keep arriving', async () => {
    const { stream, log, malformed } = setup({ stallReportMs: 30 });
    stream.write(Buffer.from('Content-Length: 60000000\r\n\r\n{}'));
    await macrotask();
    stream.write(frame(note('swallowed 1')));
    const stalled = await reportOf(malformed, 'stalled');
    expect(stalled.detail).toMatch(/^a 60000000-byte body is still incomplete \(\d+ bytes of it in\) 30 ms after/);
    expect(stalled.detail).toContain('contain a frame header: the Content-Length probably lied');
    // More bytes, more time: still the one report for this frame.
    stream.write(frame(note('swallowed 2')));
    await wait(100);
    stream.write(frame(note('swallowed 3')));
    await wait(100);
    expect(malformed.map((e) => e.reason)).toEqual(['stalled']);
    expect(log).toEqual([]);
  });

  it('says nothing when the body completes, or when no more bytes arrive after its header', async () => {
    // The slow frame's timer is armed by its second chunk; the third completes it and must clear it.
    const slow = setup({ stallReportMs: 100 });
    const bytes = frame(note('slow but whole', { pad: 'p'.repeat(100) }));
    slow.stream.write(bytes.subarray(0, 40));
    await macrotask();
    slow.stream.write(bytes.subarray(40, 80));
    await macrotask();
    slow.stream.write(bytes.subarray(80));
    const quiet = setup({ stallReportMs: 30 });
    quiet.stream.write(Buffer.from('Content-Length: 100\r\n\r\n{"a":'));
    await wait(250);
    expect(slow.log).toEqual(['slow but whole']);
    expect(slow.malformed).toEqual([]);
    expect(quiet.malformed).toEqual([]);
  });

  it('clears its timer on dispose', async () => {
    const { stream, malformed, reader } = setup({ stallReportMs: 30 });
    stream.write(Buffer.from('Content-Length: 100\r\n\r\n{"a":'));
    await macrotask();
    stream.write(Buffer.from('1'));
    await macrotask();
    reader.dispose();
    await wait(100);
    expect(malformed).toEqual([]);
  });
});
