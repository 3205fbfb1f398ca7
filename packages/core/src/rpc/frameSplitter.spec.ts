import fc from 'fast-check';
import { constants } from 'node:buffer';
import { ContentLengthSplitter } from './frameSplitter';
import { MalformedMessageError } from './malformed';

type HeaderStyle = 'plain' | 'lowercase' | 'with-content-type' | 'no-space';

function frame(body: string, style: HeaderStyle = 'plain'): Buffer {
  const length = Buffer.byteLength(body, 'utf8');
  const header = {
    plain: `Content-Length: ${length}\r\n\r\n`,
    lowercase: `content-length: ${length}\r\n\r\n`,
    'with-content-type': `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: ${length}\r\n\r\n`,
    'no-space': `Content-Length:${length}\r\n\r\n`,
  }[style];
  return Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(body, 'utf8')]);
}

/** Cuts `bytes` at the given offsets (any order, duplicates allowed). */
function cut(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

function feed(splitter: ContentLengthSplitter, chunks: readonly Buffer[]): (string | MalformedMessageError)[] {
  const out: (string | MalformedMessageError)[] = [];
  for (const chunk of chunks) {
    splitter.push(chunk);
    for (let item = splitter.next(); item !== undefined; item = splitter.next()) out.push(item);
  }
  return out;
}

const bodyArb = fc
  .record({ method: fc.constantFrom('session.event', 'session.lifecycle'), text: fc.string({ unit: 'binary', maxLength: 300 }) })
  .map((message) => JSON.stringify(message));
const styleArb = fc.constantFrom<HeaderStyle>('plain', 'lowercase', 'with-content-type', 'no-space');

describe('ContentLengthSplitter', () => {
  it('returns every body, in order, whatever the chunk boundaries and header styles', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(bodyArb, styleArb), { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        (messages, offsets) => {
          const bytes = Buffer.concat(messages.map(([body, style]) => frame(body, style)));
          const splitter = new ContentLengthSplitter();
          expect(feed(splitter, cut(bytes, offsets))).toEqual(messages.map(([body]) => body));
          expect(splitter.bufferedBytes).toBe(0);
          expect(splitter.midFrame).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts bytes: multi-byte UTF-8 split at every possible byte is decoded intact', () => {
    const body = JSON.stringify({ text: 'a€b😀c日本語' });
    const bytes = Buffer.concat([frame(body), frame(body)]);
    for (let at = 1; at < bytes.length; at++) {
      expect(feed(new ContentLengthSplitter(), [bytes.subarray(0, at), bytes.subarray(at)])).toEqual([body, body]);
    }
    // And one byte at a time.
    expect(feed(new ContentLengthSplitter(), cut(bytes, [...bytes.keys()]))).toEqual([body, body]);
  });

  it('recovers every well-formed frame after garbage, reporting each run of garbage once with its length', () => {
    // Garbage without a 'C' cannot contain the resynchronisation marker itself. Garbage ending in a
    // line break could be header lines of the next frame (`x: 1\r\n` is one), so it ends otherwise.
    const garbageArb = fc
      .string({ unit: fc.constantFrom('x', '1', ':', ' ', '\r', '\n', '{', '}'), minLength: 1, maxLength: 40 })
      .filter((garbage) => !garbage.endsWith('\n'));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(bodyArb, fc.option(garbageArb, { nil: undefined })), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (items, offsets) => {
          const bytes = Buffer.concat(items.map(([body, garbage]) => Buffer.concat([Buffer.from(garbage ?? ''), frame(body)])));
          const out = feed(new ContentLengthSplitter(), cut(bytes, offsets));
          const summary = out.map((item) => (typeof item === 'string' ? item : `${item.reason}:${item.droppedBytes ?? ''}`));
          const expected = items.flatMap(([body, garbage]) =>
            garbage === undefined ? [body] : ['bad-header:', `resynchronised:${garbage.length}`, body],
          );
          expect(summary).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('takes no garbage for a header: a line without a colon, or a name that is not a token, is reported', () => {
    const good = JSON.stringify({ method: 'ok' });
    for (const garbage of ['\r\n', 'junk\r\n', '\u0000:\r\n', ' ']) {
      const out = feed(new ContentLengthSplitter(), [Buffer.concat([Buffer.from(garbage, 'latin1'), frame(good)])]);
      expect(out.map((item) => (typeof item === 'string' ? item : item.reason))).toEqual(['bad-header', 'resynchronised', good]);
    }
    const [error] = feed(new ContentLengthSplitter(), [Buffer.concat([Buffer.from('junk\r\n'), frame(good)])]);
    expect((error as MalformedMessageError).detail).toBe("a header line must be 'Name: value'. Got 'junk'");
  });

  it('reports a Content-Length that is not a number, quoting it, and reads the next frame', () => {
    const good = JSON.stringify({ method: 'ok' });
    const bad = 'Content-Length: twelve\r\n\r\n{"method":"lost"}';
    const bytes = Buffer.concat([Buffer.from(bad), frame(good)]);
    const [error, resynchronised, body] = feed(new ContentLengthSplitter(), [bytes]);
    expect(error).toBeInstanceOf(MalformedMessageError);
    expect((error as MalformedMessageError).reason).toBe('bad-header');
    expect((error as MalformedMessageError).message).toContain("Content-Length value must be a number. Got 'twelve'");
    expect((resynchronised as MalformedMessageError).message).toContain(`dropped ${bad.length} bytes before the next header`);
    expect(body).toBe(good);
  });

  it('reports a header block with no Content-Length', () => {
    const good = JSON.stringify({ method: 'ok' });
    const bytes = Buffer.concat([Buffer.from('Content-Type: text/plain\r\n\r\n{}'), frame(good)]);
    const out = feed(new ContentLengthSplitter(), [bytes]);
    expect((out[0] as MalformedMessageError).detail).toBe('the header block has no Content-Length');
    expect((out[1] as MalformedMessageError).reason).toBe('resynchronised');
    expect(out[2]).toBe(good);
  });

  it.each([
    ['a claim above the limit', 'Content-Length: 1001\r\n\r\n'],
    ['a 15-digit claim', 'Content-Length: 999999999999999\r\n\r\n'],
    ['a 40-digit claim', `Content-Length: ${'9'.repeat(40)}\r\n\r\n`],
    ['a claim above the limit among other headers', 'Content-Type: x\r\ncontent-length: 5000\r\n\r\n'],
  ])('treats %s with a short body as a framing error: reports it, finds the next header, counts the bytes dropped', (_, header) => {
    const splitter = new ContentLengthSplitter({ maxMessageBytes: 1000 });
    const good = JSON.stringify({ method: 'after' });
    const short = '{"a":1}';
    const before = frame(JSON.stringify({ method: 'before' }));
    // Cut inside the claim's header, which starts mid-chunk: the chunks are joined while it is read.
    const bytes = Buffer.concat([before, Buffer.from(header + short), frame(good)]);
    const out = feed(splitter, cut(bytes, [before.length + 3, before.length + 30]));
    expect(out.shift()).toBe(JSON.stringify({ method: 'before' }));
    expect(out.map((item) => (typeof item === 'string' ? item : item.reason))).toEqual(['too-large', 'resynchronised', good]);
    expect((out[0] as MalformedMessageError).detail).toMatch(/is above the limit of 1000 bytes; no frame is read from it/);
    expect((out[1] as MalformedMessageError).droppedBytes).toBe(header.length + short.length);
  });

  it('never accepts a body longer than the longest string V8 can decode it to, whatever maxMessageBytes says', () => {
    const splitter = new ContentLengthSplitter({ maxMessageBytes: Infinity });
    const [error] = feed(splitter, [Buffer.from(`Content-Length: ${constants.MAX_STRING_LENGTH + 1}\r\n\r\n{}`)]);
    expect((error as MalformedMessageError).reason).toBe('too-large');
  });

  it('drops an oversized body as it streams past, without buffering it', () => {
    const splitter = new ContentLengthSplitter({ maxMessageBytes: 1000 });
    splitter.push(Buffer.from('Content-Length: 1000000\r\n\r\n'));
    const error = splitter.next() as MalformedMessageError;
    expect(error.reason).toBe('too-large');
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let peak = 0;
    for (let sent = 0; sent < 1_000_000; sent += chunk.length) {
      const piece = chunk.subarray(0, Math.min(chunk.length, 1_000_000 - sent));
      splitter.push(piece);
      expect(splitter.next()).toBeUndefined();
      peak = Math.max(peak, splitter.bufferedBytes);
    }
    // At most the tail that could start a header split across chunks.
    expect(peak).toBeLessThan(MARKER_LENGTH);
    const good = JSON.stringify({ method: 'after' });
    const [resynchronised, body] = feed(splitter, [frame(good)]);
    expect((resynchronised as MalformedMessageError).droppedBytes).toBe('Content-Length: 1000000\r\n\r\n'.length + 1_000_000);
    expect(body).toBe(good);
  });

  it('gives up on a header that never ends after maxHeaderBytes, and resynchronises', () => {
    const splitter = new ContentLengthSplitter({ maxHeaderBytes: 64 });
    const out = feed(splitter, [Buffer.alloc(200, 'z')]);
    expect(out).toHaveLength(1);
    expect((out[0] as MalformedMessageError).detail).toContain('no end of headers');
    expect(splitter.bufferedBytes).toBeLessThan(MARKER_LENGTH);
    const good = JSON.stringify({ method: 'after' });
    const [resynchronised, body] = feed(splitter, [Buffer.alloc(5000, 'z'), frame(good)]);
    expect((resynchronised as MalformedMessageError).droppedBytes).toBe(5200);
    expect(body).toBe(good);
  });

  it('joins a body spread over many chunks once, when all of it has arrived', () => {
    const body = JSON.stringify({ text: 'y'.repeat(300_000) });
    const bytes = frame(body);
    const splitter = new ContentLengthSplitter();
    const chunks = cut(bytes, Array.from({ length: 40 }, (_, i) => i * 8000));
    const out = feed(splitter, chunks);
    expect(out).toEqual([body]);
  });

  it('knows when the stream stopped inside a frame', () => {
    const splitter = new ContentLengthSplitter();
    feed(splitter, [frame('{"a":1}').subarray(0, 24)]);
    expect(splitter.midFrame).toBe(true);
    expect(splitter.excerpt()).toContain('{"a');
  });
});

const MARKER_LENGTH = 'Content-Length:'.length;
