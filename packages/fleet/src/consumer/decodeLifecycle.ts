/**
 * One stored message of a session's lifecycle subject back into its record. What does not decode
 * comes back as a FleetDecodeError with the subject and the raw value, for the caller to report:
 * nothing is thrown into a stream.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import type { JsMsg } from '@nats-io/jetstream';
import { FleetDecodeError } from '../errors.js';
import { LifecycleRecord } from '../wire/records.js';
import { reportErrors } from '../wire/reportErrors.js';

export function decodeLifecycle(msg: JsMsg): LifecycleRecord | FleetDecodeError {
  let body: unknown;
  try {
    body = msg.json();
  } catch {
    body = msg.string();
  }
  const decoded = LifecycleRecord.decode(body);
  return isLeft(decoded) ? new FleetDecodeError(msg.subject, reportErrors(decoded.left), body) : decoded.right;
}
