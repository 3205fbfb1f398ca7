import { CopilotRxError } from '../errors.js';

/**
 * What was wrong with incoming bytes or a message. All but the last two name one fault, reported once;
 * the last two are notes about the framing, not further faults:
 *
 * - `bad-header`: a header block without a usable `Content-Length` (or bytes that are not a header);
 *   the reader then scans for the next `Content-Length:` header;
 * - `too-large`: a `Content-Length` above the reader's `maxMessageBytes`; no sane frame is that big, so
 *   the claim is not trusted: the reader scans for the next header instead of skipping the claimed bytes;
 * - `bad-json`: a body that is not valid JSON;
 * - `not-json-rpc`: valid JSON that is not a JSON-RPC request, response or notification;
 * - `bad-params`: a `$/` protocol notification (`$/cancelRequest`, `$/progress`) whose params
 *   vscode-jsonrpc could not act on (it would throw on them); skipped before it gets there;
 * - `delivery-failed`: a well-formed message, but handing it on threw (a subscriber's or a handler's
 *   bug); the error is the `cause`;
 * - `truncated`: the stream ended inside a frame;
 * - `resynchronised`: after a `bad-header` or `too-large`, the next header was found; says how many
 *   bytes were dropped (`droppedBytes`) from the start of the bad region to that header. One per bad
 *   region, always after the report of the fault that started it;
 * - `stalled`: a body has been awaited for `stallReportMs` while bytes kept arriving, and it is still
 *   incomplete: a `Content-Length` that lies (a 60 MB claim, a 2-byte body) swallows every frame after
 *   it until the claimed bytes are in. Reported once per frame; the reader goes on waiting.
 */
export type MalformedReason =
  | 'bad-header'
  | 'too-large'
  | 'bad-json'
  | 'not-json-rpc'
  | 'bad-params'
  | 'delivery-failed'
  | 'truncated'
  | 'resynchronised'
  | 'stalled';

/** Longest excerpt of the offending input an error quotes. */
const EXCERPT_CHARS = 200;

/** How the message starts, by reason: only some reports are about a message that was skipped. */
const LEADS: Readonly<Record<MalformedReason, string>> = {
  'bad-header': 'Skipped a malformed message from the CLI',
  'too-large': 'Skipped a malformed message from the CLI',
  'bad-json': 'Skipped a malformed message from the CLI',
  'not-json-rpc': 'Skipped a malformed message from the CLI',
  'bad-params': 'Skipped a malformed message from the CLI',
  'delivery-failed': 'A message from the CLI could not be delivered',
  truncated: 'Skipped a malformed message from the CLI',
  resynchronised: 'Found the next frame from the CLI after bad input',
  stalled: 'Still waiting for the body of a frame from the CLI',
};

export interface MalformedMessageOptions {
  /** For `resynchronised`: bytes dropped between the start of the bad region and the next header. */
  readonly droppedBytes?: number;
  /** For `delivery-failed`: what was thrown. */
  readonly cause?: unknown;
}

/**
 * An incoming frame or message that could not be used, or a note about the framing (`resynchronised`,
 * `stalled`). The reader reports it (RpcConnection's `malformed$`), skips what it must and goes on
 * reading: one bad frame never takes the connection down.
 */
export class MalformedMessageError extends CopilotRxError {
  readonly code = 'MALFORMED_MESSAGE';
  /** For `resynchronised`: bytes dropped between the start of the bad region and the next header. */
  readonly droppedBytes: number | undefined;

  constructor(
    readonly reason: MalformedReason,
    readonly detail: string,
    /** The start of the offending input, as received (at most 200 characters). */
    readonly excerpt: string,
    options: MalformedMessageOptions = {},
  ) {
    // `excerpt` is a string cut to 200 characters, so JSON.stringify here is bounded.
    const message = `${LEADS[reason]} (${reason}): ${detail}${excerpt ? `. Got: ${JSON.stringify(excerpt)}` : ''}`;
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.droppedBytes = options.droppedBytes;
  }
}

/** The first characters of `text`, with a marker when it was cut. */
export function excerptOf(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS)}…`;
}
