/**
 * Content-Length framing for the bench's own ends (the replay server and the "ceiling" client):
 * hand-written and minimal on purpose, independent of @copilot-rx/core, so the ceiling measures what
 * framing plus JSON.parse cost on this machine and nothing else.
 */
const HEADER_END = Buffer.from('\r\n\r\n');

/** One frame: header and UTF-8 body in one Buffer. */
export function frame(message) {
  const body = Buffer.from(typeof message === 'string' ? message : JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'latin1'), body]);
}

/**
 * Calls `onMessage(parsed)` for every frame in the byte stream. Keeps the unparsed tail between
 * chunks; joins it with the next chunk only when a frame straddles the boundary.
 */
export function splitter(onMessage) {
  let pending = null;
  return (chunk) => {
    let buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
    let pos = 0;
    for (;;) {
      const headerEnd = buf.indexOf(HEADER_END, pos);
      if (headerEnd < 0) break;
      // "Content-Length: " is 16 bytes; the CLI sends no other header.
      const length = Number(buf.latin1Slice(pos + 16, headerEnd));
      const start = headerEnd + 4;
      if (buf.length < start + length) break;
      onMessage(JSON.parse(buf.utf8Slice(start, start + length)));
      pos = start + length;
    }
    pending = pos === buf.length ? null : buf.subarray(pos);
  };
}
