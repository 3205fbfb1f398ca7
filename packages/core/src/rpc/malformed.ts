import { CopilotRxError } from '../errors.js';

/**
 * What was wrong with an incoming frame or message:
 * - `bad-header`: a header block without a usable `Content-Length` (or bytes that are not a header);
 * - `too-large`: a `Content-Length` above the reader's `maxMessageBytes` (the body is skipped unread);
 * - `bad-json`: a body that is not valid JSON;
 * - `not-json-rpc`: valid JSON that is not a JSON-RPC request, response or notification;
 * - `truncated`: the stream ended inside a frame.
 */
export type MalformedReason = 'bad-header' | 'too-large' | 'bad-json' | 'not-json-rpc' | 'truncated';

/** Longest excerpt of the offending input an error quotes. */
const EXCERPT_CHARS = 200;

/**
 * An incoming frame or message that could not be used. The reader reports it (RpcConnection's
 * `malformed$`), skips it and goes on reading: one bad frame never takes the connection down.
 */
export class MalformedMessageError extends CopilotRxError {
  readonly code = 'MALFORMED_MESSAGE';

  constructor(
    readonly reason: MalformedReason,
    readonly detail: string,
    /** The start of the offending input, as received (at most 200 characters). */
    readonly excerpt: string,
  ) {
    super(`Skipped a malformed message from the CLI (${reason}): ${detail}${excerpt ? `. Got: ${JSON.stringify(excerpt)}` : ''}`);
  }
}

/** The first characters of `text`, with a marker when it was cut. */
export function excerptOf(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS)}…`;
}
