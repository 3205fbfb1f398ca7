/**
 * One stored message of the fleet stream back into session events, decoded by core's own codecs. A
 * message or event that does not decode is reported with its subject and raw value, and the rest of
 * the batch goes on: nothing is dropped silently, nothing is thrown into the stream.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeSessionEvent, type SessionEvent } from '@copilot-rx/core';
import { FleetDecodeError } from '../errors.js';
import { EventBatch } from '../wire/records.js';
import { reportErrors } from '../wire/reportErrors.js';

export function decodeBatch(subject: string, text: string, onEvent: (event: SessionEvent) => void, onFailure: (error: FleetDecodeError) => void): void {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return onFailure(new FleetDecodeError(subject, ['not JSON'], text));
  }
  if (!EventBatch.is(body)) {
    const decoded = EventBatch.decode(body);
    return onFailure(new FleetDecodeError(subject, isLeft(decoded) ? reportErrors(decoded.left) : ['not an event batch'], body));
  }
  for (const raw of body.events) {
    const event = decodeSessionEvent(raw);
    if (isLeft(event)) onFailure(new FleetDecodeError(subject, event.left.messages, raw));
    else onEvent(event.right);
  }
}
