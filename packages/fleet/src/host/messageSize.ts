/**
 * What a fleet message weighs against the broker's size limits, and how the broker says one is too
 * large. Both limits, the stream's `max_msg_size` and the server's `max_payload`, count UTF-8 bytes
 * (a string's length is UTF-16 units: text outside ASCII takes up to 3 bytes a unit) and count the
 * NATS headers with the payload (probed against nats-server 2.9: a 4,056-byte payload with a 4-byte
 * message id fits a 4,096-byte stream limit, a 4,076-byte one does not).
 */
import { JetStreamApiError } from '@nats-io/jetstream';
import { InvalidArgumentError } from '@nats-io/transport-node';

/** The headers of a publish with a message id, less the id: `NATS/1.0\r\nNats-Msg-Id: <id>\r\n\r\n`. */
export const MSG_ID_HEADER_BYTES = 27;

/**
 * Most UTF-8 bytes one UTF-16 unit encodes to (a surrogate pair is 4 bytes for 2 units, a lone
 * surrogate 3 as U+FFFD), so `length × 3` is never below a string's real size: a check that passes
 * with it needs no measuring.
 */
export const MAX_UTF8_BYTES_PER_UNIT = 3;

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** JetStream's "message size exceeds maximum allowed": past the stream's `max_msg_size`. */
const STREAM_MESSAGE_EXCEEDS_MAXIMUM = 10054;

/**
 * Whether a publish failed because its message is too large for the broker, which no retry changes:
 * the client's own check against the server's `max_payload` (it refuses before sending), or
 * JetStream's refusal past the stream's `max_msg_size` (10054), of headers over 64 KiB, or of a
 * message too large for its store. Anything else (a timeout, no responders, a lost connection, a
 * permission the operator may still grant) is worth retrying.
 */
export function isTooLargeForBroker(error: unknown): boolean {
  if (error instanceof InvalidArgumentError) return /max_payload/.test(error.message);
  if (!(error instanceof JetStreamApiError)) return false;
  // The codes of the header and store refusals moved between server versions; their descriptions did not.
  return error.code === STREAM_MESSAGE_EXCEEDS_MAXIMUM || /header size exceeds maximum|message too large/i.test(error.message);
}
