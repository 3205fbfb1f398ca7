/**
 * Splits a byte stream framed as `Content-Length: N\r\n\r\n<N bytes of UTF-8 JSON>` into message
 * bodies. Pure (no streams, no timers): `push()` bytes in, pull bodies out with `next()`, so the reader
 * that owns it decides when to stop (ordering barriers, backpressure).
 *
 * - Counts BYTES: a body is decoded only once all of its bytes are here, so a multi-byte UTF-8
 *   character split across chunks is never mangled.
 * - Headers are parsed generically (case-insensitive names, other headers ignored, as protocol.md §8
 *   asks); the exact `Content-Length: N` the CLI sends takes a fast path that touches no strings.
 * - Bounded: a header block longer than `maxHeaderBytes` or a `Content-Length` above
 *   `maxMessageBytes` is reported, and what follows is discarded as it streams past (never
 *   buffered), so bad input cannot make memory grow without bound.
 * - Recovers: after a header it cannot use, it resynchronises on the next `Content-Length:` marker
 *   and reports how many bytes it dropped to get there (`resynchronised`). An oversized claim is such
 *   a header: skipping the claimed bytes would trust a number no sane frame has, and a 15-digit claim
 *   would swallow everything after it, forever. (The cost: a real frame above the limit whose body
 *   contains the text `Content-Length:` costs one more `bad-header` report before the reader is back.)
 * - Strict about header lines, as vscode-jsonrpc is: every line must be `Name: value` with a token
 *   for a name, so garbage that runs into the next header is reported, not taken for a header.
 * - Copies little: a chunk that starts on a frame boundary is used in place; a frame split across
 *   chunks is joined once, when all of its bytes have arrived (no quadratic re-concatenation).
 */
import { constants } from 'node:buffer';
import { MalformedMessageError, excerptOf } from './malformed.js';

export interface FrameSplitterConfig {
  /**
   * Largest body accepted (at most V8's longest string, ~512 MiB); a larger claim is reported as `too-large` and the reader scans for the next
   * header. Default: 64 MiB. The trade-off: a lying claim BELOW the limit (60 MB claimed, 2 bytes
   * sent) swallows every frame after it until the claimed bytes are in; a lower limit bounds that.
   */
  readonly maxMessageBytes?: number;
  /** Longest header block accepted before the bytes are treated as garbage. Default: 8 KiB. */
  readonly maxHeaderBytes?: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_HEADER_BYTES = 8 * 1024;

const EMPTY = Buffer.alloc(0);
const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH;
const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
/** Where to resynchronise after garbage: the header name as the CLI (and every LSP peer) spells it. */
const MARKER = Buffer.from('Content-Length:', 'latin1');
/** The exact prefix of the CLI's headers, for the fast path. */
const FAST_PREFIX = Buffer.from('Content-Length: ', 'latin1');
const CR = 13;
const LF = 10;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
/** More digits than this cannot be a length we would accept anyway; the slow path reports it. */
const MAX_FAST_DIGITS = 15;
const MAX_DIGITS_VALUE = 999_999_999_999_999;
/** An HTTP header name (RFC 9110 token), as vscode-jsonrpc and every LSP peer write them. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export class ContentLengthSplitter {
  readonly #maxMessageBytes: number;
  readonly #maxHeaderBytes: number;
  /** The buffer being parsed, from `#pos` on; `#more` holds whole chunks that arrived after it. */
  #buf: Buffer = EMPTY;
  #pos = 0;
  #more: Buffer[] = [];
  #moreBytes = 0;
  /** The length of the body being waited for; -1 while reading a header. */
  #bodyLength = -1;
  /** True after garbage: bytes are discarded until the next `Content-Length:` marker. */
  #resync = false;
  /** Bytes of the current bad region dropped so far, for the `resynchronised` report. */
  #dropped = 0;
  /** How many headers were read: tells one awaited body from the next (for stall reports). */
  #headersRead = 0;

  constructor(config: FrameSplitterConfig = {}) {
    // Never above V8's longest string: decoding such a body would throw inside the stream's `data`
    // handler. (A body of N bytes decodes to at most N characters.)
    this.#maxMessageBytes = Math.min(config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES, MAX_STRING_LENGTH);
    this.#maxHeaderBytes = config.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  }

  /** Bytes received and not yet returned as a body (or skipped). */
  get bufferedBytes(): number {
    return this.#buf.length - this.#pos + this.#moreBytes;
  }

  /** True while part of a frame has been received but not all of it (for end-of-stream reports). */
  get midFrame(): boolean {
    return this.#bodyLength >= 0 || (!this.#resync && this.bufferedBytes > 0);
  }

  /** True while a header was read and its body has not all arrived. */
  get awaitingBody(): boolean {
    return this.#bodyLength >= 0;
  }

  /** The Content-Length of the body being awaited; -1 when none is. */
  get awaitedBodyBytes(): number {
    return this.#bodyLength;
  }

  /** Headers read so far; with `awaitingBody`, names the frame whose body is awaited. */
  get headersRead(): number {
    return this.#headersRead;
  }

  /**
   * True when the bytes buffered so far contain a `Content-Length:` header: while a body is awaited,
   * a sign that its claim lied and later frames are being swallowed. (A marker split across two
   * chunks is missed: this is a hint for a report, not framing.)
   */
  bufferedContainsHeader(): boolean {
    if (this.#buf.indexOf(MARKER, this.#pos) >= 0) return true;
    return this.#more.some((chunk) => chunk.indexOf(MARKER) >= 0);
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.#pos >= this.#buf.length && this.#moreBytes === 0) {
      this.#buf = chunk;
      this.#pos = 0;
    } else {
      this.#more.push(chunk);
      this.#moreBytes += chunk.length;
    }
  }

  /**
   * The next complete body (as a string), an error describing bytes that were skipped, or undefined
   * when more bytes are needed. Call it until it returns undefined.
   */
  next(): string | MalformedMessageError | undefined {
    if (this.#resync) {
      if (!this.#findMarker()) return undefined;
      return this.#resynchronised();
    }
    if (this.#bodyLength < 0) {
      // Counted in buffered bytes, not positions: reading the header may join chunks and move `#pos`.
      const before = this.bufferedBytes;
      const header = this.#readHeader();
      if (typeof header !== 'number') return header;
      if (header > this.#maxMessageBytes) {
        // `#pos` is past the header now; it counts as dropped, like the bytes up to the next one.
        const headerBytes = before - this.bufferedBytes;
        this.#startResync(this.#pos);
        this.#dropped = headerBytes;
        return new MalformedMessageError(
          'too-large',
          `${header > MAX_DIGITS_VALUE ? 'a Content-Length of more than 15 digits' : `Content-Length ${header}`} is above the limit of ` +
            `${this.#maxMessageBytes} bytes; no frame is read from it, the reader looks for the next header`,
          '',
        );
      }
      this.#headersRead++;
      this.#bodyLength = header;
    }
    return this.#readBody();
  }

  /** Forgets everything buffered (the reader was disposed). */
  clear(): void {
    this.#buf = EMPTY;
    this.#pos = 0;
    this.#more = [];
    this.#moreBytes = 0;
    this.#bodyLength = -1;
    this.#resync = false;
    this.#dropped = 0;
  }

  /** An excerpt of what is buffered, for the end-of-stream report. */
  excerpt(): string {
    this.#joinAll();
    return excerptOf(this.#buf.toString('utf8', this.#pos, Math.min(this.#buf.length, this.#pos + 400)));
  }

  #readHeader(): number | MalformedMessageError | undefined {
    const fast = this.#readFastHeader();
    if (fast >= 0) return fast;
    let headerEnd = this.#buf.indexOf(HEADER_END, this.#pos);
    while (headerEnd < 0 && this.#moreBytes > 0) {
      // Only the last 3 bytes of what was searched can start a terminator that spans the join.
      const searched = Math.max(0, this.#buf.length - this.#pos - (HEADER_END.length - 1));
      this.#joinOne();
      headerEnd = this.#buf.indexOf(HEADER_END, this.#pos + searched);
    }
    if (headerEnd < 0) {
      if (this.bufferedBytes <= this.#maxHeaderBytes) return undefined;
      const excerpt = excerptOf(this.#buf.toString('latin1', this.#pos, this.#pos + 200));
      this.#startResync(this.#pos + 1);
      return new MalformedMessageError('bad-header', `no end of headers (\\r\\n\\r\\n) within ${this.#maxHeaderBytes} bytes`, excerpt);
    }
    if (headerEnd - this.#pos > this.#maxHeaderBytes) {
      const excerpt = excerptOf(this.#buf.toString('latin1', this.#pos, this.#pos + 200));
      this.#startResync(this.#pos + 1);
      return new MalformedMessageError('bad-header', `a header block longer than ${this.#maxHeaderBytes} bytes`, excerpt);
    }
    const block = this.#buf.toString('latin1', this.#pos, headerEnd);
    const parsed = parseHeaderBlock(block);
    if (typeof parsed === 'number') {
      this.#pos = headerEnd + HEADER_END.length;
      return parsed;
    }
    this.#startResync(this.#pos + 1);
    return new MalformedMessageError('bad-header', parsed, excerptOf(block));
  }

  /** Parses exactly `Content-Length: <digits>\r\n\r\n` in place; -1 when the input is anything else. */
  #readFastHeader(): number {
    const buf = this.#buf;
    const start = this.#pos;
    const end = buf.length;
    let i = start + FAST_PREFIX.length;
    if (i + 5 > end) return -1;
    for (let k = 0; k < FAST_PREFIX.length; k++) if (buf[start + k] !== FAST_PREFIX[k]) return -1;
    let length = 0;
    const digitsStart = i;
    for (let c = buf[i]; c !== undefined && c >= DIGIT_0 && c <= DIGIT_9; c = buf[++i]) length = length * 10 + (c - DIGIT_0);
    const digits = i - digitsStart;
    if (digits === 0 || digits > MAX_FAST_DIGITS || i + 4 > end) return -1;
    if (buf[i] !== CR || buf[i + 1] !== LF || buf[i + 2] !== CR || buf[i + 3] !== LF) return -1;
    this.#pos = i + 4;
    return length;
  }

  #readBody(): string | undefined {
    const length = this.#bodyLength;
    if (this.#buf.length - this.#pos < length) {
      if (this.bufferedBytes < length) return undefined;
      this.#joinAll();
    }
    const start = this.#pos;
    this.#pos = start + length;
    this.#bodyLength = -1;
    const body = this.#buf.toString('utf8', start, start + length);
    this.#advance();
    return body;
  }

  /** Starts dropping bytes at `from` (counted from the bad region's first byte at `#pos`). */
  #startResync(from: number): void {
    this.#dropped = from - this.#pos;
    this.#pos = from;
    this.#resync = true;
  }

  /** Drops bytes up to the next marker, counting them; true once one is at `#pos`. */
  #findMarker(): boolean {
    for (;;) {
      const found = this.#buf.indexOf(MARKER, this.#pos);
      if (found >= 0) {
        this.#dropped += found - this.#pos;
        this.#pos = found;
        this.#resync = false;
        return true;
      }
      // Keep a tail that may be the start of a marker split across chunks; drop the rest.
      const kept = Math.max(this.#pos, this.#buf.length - (MARKER.length - 1));
      this.#dropped += kept - this.#pos;
      this.#pos = kept;
      if (this.#more.length === 0) return false;
      this.#joinOne();
    }
  }

  #resynchronised(): MalformedMessageError {
    const droppedBytes = this.#dropped;
    this.#dropped = 0;
    return new MalformedMessageError('resynchronised', `dropped ${droppedBytes} bytes before the next header`, '', { droppedBytes });
  }

  /** Moves to the next chunk once the current one is used up, without copying. */
  #advance(): void {
    if (this.#pos < this.#buf.length) return;
    const next = this.#more.shift();
    if (next === undefined) {
      this.#buf = EMPTY;
      this.#pos = 0;
      return;
    }
    this.#moreBytes -= next.length;
    this.#buf = next;
    this.#pos = 0;
  }

  #joinOne(): void {
    const next = this.#more.shift();
    if (next === undefined) return;
    this.#moreBytes -= next.length;
    this.#buf = this.#pos < this.#buf.length ? Buffer.concat([this.#buf.subarray(this.#pos), next]) : next;
    this.#pos = 0;
  }

  #joinAll(): void {
    if (this.#more.length === 0) return;
    const parts = this.#pos < this.#buf.length ? [this.#buf.subarray(this.#pos), ...this.#more] : this.#more;
    this.#buf = Buffer.concat(parts, this.bufferedBytes);
    this.#pos = 0;
    this.#more = [];
    this.#moreBytes = 0;
  }
}

/**
 * The Content-Length of a header block, or a message saying why there is none. A claim of more than
 * 15 digits is returned as Infinity (it is a number, just not one any frame has).
 */
function parseHeaderBlock(block: string): number | string {
  let length: number | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) return `a header line must be 'Name: value'. Got '${excerptOf(line)}'`;
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return `a header name must be a token (letters, digits, !#$%&'*+-.^_\`|~). Got '${excerptOf(name)}'`;
    if (name.toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d+$/.test(value)) return `Content-Length value must be a number. Got '${excerptOf(value)}'`;
    const parsed = value.length > MAX_FAST_DIGITS ? Infinity : Number(value);
    if (length !== undefined && length !== parsed) return `conflicting Content-Length values ${length} and ${parsed}`;
    length = parsed;
  }
  return length ?? 'the header block has no Content-Length';
}
