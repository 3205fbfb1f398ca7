import fc from 'fast-check';
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

  it('recovers every well-formed frame after garbage between frames, reporting the garbage', () => {
    // Garbage without a 'C' cannot contain the resynchronisation marker itself.
    const garbageArb = fc.string({ unit: fc.constantFrom('x', '1', ':', ' ', '\r', '\n', '{', '}'), minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(bodyArb, fc.option(garbageArb, { nil: undefined })), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (items, offsets) => {
          const bytes = Buffer.concat(items.map(([body, garbage]) => Buffer.concat([Buffer.from(garbage ?? ''), frame(body)])));
          const out = feed(new ContentLengthSplitter(), cut(bytes, offsets));
          expect(out.filter((item): item is string => typeof item === 'string')).toEqual(items.map(([body]) => body));
          for (const item of out) if (typeof item !== 'string') expect(item.reason).toBe('bad-header');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reports a Content-Length that is not a number, quoting it, and reads the next frame', () => {
    const good = JSON.stringify({ method: 'ok' });
    const bytes = Buffer.concat([Buffer.from('Content-Length: twelve\r\n\r\n{"method":"lost"}'), frame(good)]);
    const [error, body] = feed(new ContentLengthSplitter(), [bytes]);
    expect(error).toBeInstanceOf(MalformedMessageError);
    expect((error as MalformedMessageError).reason).toBe('bad-header');
    expect((error as MalformedMessageError).message).toContain("Content-Length value must be a number. Got 'twelve'");
    expect(body).toBe(good);
  });

  it('reports a header block with no Content-Length', () => {
    const good = JSON.stringify({ method: 'ok' });
    const bytes = Buffer.concat([Buffer.from('Content-Type: text/plain\r\n\r\n{}'), frame(good)]);
    const out = feed(new ContentLengthSplitter(), [bytes]);
    expect((out[0] as MalformedMessageError).detail).toBe('the header block has no Content-Length');
    expect(out[1]).toBe(good);
  });

  it('skips an oversized body as it streams past, without buffering it', () => {
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
    expect(peak).toBe(0);
    const good = JSON.stringify({ method: 'after' });
    expect(feed(splitter, [frame(good)])).toEqual([good]);
  });

  it('gives up on a header that never ends after maxHeaderBytes, and resynchronises', () => {
    const splitter = new ContentLengthSplitter({ maxHeaderBytes: 64 });
    const out = feed(splitter, [Buffer.alloc(200, 'z')]);
    expect(out).toHaveLength(1);
    expect((out[0] as MalformedMessageError).detail).toContain('no end of headers');
    expect(splitter.bufferedBytes).toBeLessThan(MARKER_LENGTH);
    const good = JSON.stringify({ method: 'after' });
    expect(feed(splitter, [Buffer.alloc(5000, 'z'), frame(good)])).toEqual([good]);
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
