/**
 * LSP-style `Content-Length` framing (protocol.md §1.4), written here rather than borrowed from
 * vscode-jsonrpc so the fake agent stays an independent implementation of the wire format: a bug the
 * client library shares with its framing library cannot hide behind a fake built on the same code.
 */

const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');
/** A frame larger than this is treated as garbage rather than buffered forever. */
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The byte stream is not valid framed JSON-RPC; the connection cannot be resynchronised. */
export class FramingError extends Error {
  override readonly name = 'FramingError';
}

/** Encodes one message as `Content-Length: N\r\n\r\n<json>`, N counting UTF-8 bytes. */
export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/**
 * Splits a byte stream into JSON messages. Feed it chunks as they come; it buffers partial frames and
 * parses headers generically (any header lines, case-insensitive names, only Content-Length used).
 */
export class FrameDecoder {
  readonly #maxBodyBytes: number;
  #buffer: Buffer = Buffer.alloc(0);

  constructor(maxBodyBytes = DEFAULT_MAX_BODY_BYTES) {
    this.#maxBodyBytes = maxBodyBytes;
  }

  /** True when bytes of an unfinished frame are waiting. */
  get hasPartialFrame(): boolean {
    return this.#buffer.length > 0;
  }

  /**
   * Adds bytes and returns every message completed by them, in order.
   * @throws FramingError on a malformed header, a bad Content-Length or a body that is not JSON.
   */
  push(chunk: Buffer): unknown[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const messages: unknown[] = [];
    for (;;) {
      const headerEnd = this.#buffer.indexOf(HEADER_END);
      if (headerEnd < 0) return messages;
      const length = this.#contentLength(this.#buffer.subarray(0, headerEnd).toString('ascii'));
      const bodyStart = headerEnd + HEADER_END.length;
      if (this.#buffer.length < bodyStart + length) return messages;
      const body = this.#buffer.subarray(bodyStart, bodyStart + length).toString('utf8');
      this.#buffer = this.#buffer.subarray(bodyStart + length);
      messages.push(parseBody(body));
    }
  }

  #contentLength(header: string): number {
    let value: string | undefined;
    for (const line of header.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new FramingError(`Header line must be "Name: value". Got ${JSON.stringify(line)}`);
      if (line.slice(0, colon).trim().toLowerCase() === 'content-length') value = line.slice(colon + 1).trim();
    }
    if (value === undefined) throw new FramingError(`Header must contain Content-Length. Got ${JSON.stringify(header)}`);
    if (!/^\d+$/.test(value)) throw new FramingError(`Content-Length value must be a number. Got ${JSON.stringify(value)}`);
    const length = Number(value);
    if (length > this.#maxBodyBytes) {
      throw new FramingError(`Content-Length ${length} exceeds the limit of ${this.#maxBodyBytes} bytes`);
    }
    return length;
  }
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FramingError(`Frame body is not JSON (${reason}). Got ${JSON.stringify(body.slice(0, 80))}`);
  }
}
