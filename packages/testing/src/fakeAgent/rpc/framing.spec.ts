import { encodeFrame, FrameDecoder, FramingError } from './framing';

const frame = (body: string, header = `Content-Length: ${Buffer.byteLength(body, 'utf8')}`) => Buffer.from(`${header}\r\n\r\n${body}`, 'utf8');

describe('FrameDecoder', () => {
  it('decodes a frame that arrives one byte at a time', () => {
    const decoder = new FrameDecoder();
    const bytes = frame('{"jsonrpc":"2.0","method":"ping"}');
    const decoded: unknown[] = [];
    for (const byte of bytes) decoded.push(...decoder.push(Buffer.from([byte])));
    expect(decoded).toEqual([{ jsonrpc: '2.0', method: 'ping' }]);
    expect(decoder.hasPartialFrame).toBe(false);
  });

  it('counts bytes, not characters, so multi-byte text is not cut', () => {
    const decoder = new FrameDecoder();
    const body = JSON.stringify({ text: 'héllo ✓ 😀' });
    expect(decoder.push(Buffer.concat([frame(body), frame('{"n":2}')]))).toEqual([{ text: 'héllo ✓ 😀' }, { n: 2 }]);
  });

  it('tolerates other headers and any header-name case', () => {
    const decoder = new FrameDecoder();
    const body = '{"a":1}';
    expect(decoder.push(frame(body, `content-type: application/json\r\ncontent-length: ${body.length}`))).toEqual([{ a: 1 }]);
  });

  it('round-trips what encodeFrame writes', () => {
    const message = { jsonrpc: '2.0', id: 7, result: { text: 'ü' } };
    expect(new FrameDecoder().push(encodeFrame(message))).toEqual([message]);
  });

  it('rejects a Content-Length that is not a number, quoting it', () => {
    expect(() => new FrameDecoder().push(frame('{}', 'Content-Length: twelve'))).toThrow(
      new FramingError('Content-Length value must be a number. Got "twelve"'),
    );
  });

  it('rejects a header without Content-Length', () => {
    expect(() => new FrameDecoder().push(frame('{}', 'Content-Type: x'))).toThrow(/Header must contain Content-Length/);
  });

  it('rejects a body that is not JSON, quoting its start', () => {
    expect(() => new FrameDecoder().push(frame('{this is not json'))).toThrow(/Frame body is not JSON .*Got "\{this is not json"/);
  });

  it('rejects a frame larger than its limit instead of buffering it', () => {
    expect(() => new FrameDecoder(10).push(Buffer.from('Content-Length: 11\r\n\r\n'))).toThrow('Content-Length 11 exceeds the limit of 10 bytes');
  });
});
