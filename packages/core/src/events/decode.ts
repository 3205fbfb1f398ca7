/**
 * Decoding at the edge: a raw notification becomes a typed event or a `DecodeFailure`, never a throw.
 * The failure keeps the raw JSON and io-ts's path messages, so the app can see exactly what the CLI
 * sent and which field broke the codec (protocol.md §8: nothing dropped silently, nothing thrown
 * into the shared stream).
 */
import { left, right, isLeft, type Either } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { SessionLifecycleEvent } from '../codecs/lifecycle.js';
import { reportErrors } from '../codecs/reportErrors.js';
import { DEFAULT_QUOTE_CHARS, quoteValue } from '../quoteValue.js';
import { SessionEventEnvelope, dataCodecOf, type SessionEvent } from '../codecs/sessionEvent.js';

/** A session event with the session it belongs to, as the connection-wide stream carries it. */
export interface SessionEventNotification {
  readonly sessionId: string;
  readonly event: SessionEvent;
}

/** A message that did not fit its codec. */
export interface DecodeFailure {
  readonly _tag: 'DecodeFailure';
  /** The notification method (`session.event`, `session.lifecycle`) or the request it answered. */
  readonly method: string;
  /** The session it named, when that much could be read. */
  readonly sessionId?: string;
  /** The event type it claimed, when that much could be read. */
  readonly eventType?: string;
  /** Where the data broke the codec, e.g. `data.deltaContent: expected string, got nothing`. */
  readonly messages: readonly string[];
  /** The message as it came off the wire. */
  readonly raw: unknown;
}

const NotificationShape = t.type({ sessionId: t.string, event: t.unknown });

/** Decodes the params of a `session.event` notification. */
export function decodeSessionEventNotification(params: unknown): Either<DecodeFailure, SessionEventNotification> {
  if (!NotificationShape.is(params)) {
    const shape = NotificationShape.decode(params);
    if (isLeft(shape)) return left(failure('session.event', shape.left, params));
  }
  const { sessionId, event: raw } = params as t.TypeOf<typeof NotificationShape>;
  const event = decodeSessionEvent(raw);
  if (isLeft(event)) return left({ ...event.left, sessionId, raw: params });
  return right({ sessionId, event: event.right });
}

/**
 * Decodes one event (from a notification, `session.getMessages` or an event log). A known type is
 * checked against its own codec and returned as it came (no copy); an unknown type becomes an
 * `UnknownSessionEvent` carrying its raw type and data.
 */
export function decodeSessionEvent(raw: unknown): Either<DecodeFailure, SessionEvent> {
  // The hot path checks with `is`, which allocates nothing; `decode` runs only when `is` says no, to
  // convert what it can (an optional null reads as absent) or to say exactly what is wrong. For these
  // codecs `is(x)` implies `decode(x)` succeeds and returns `x` itself, so both paths agree.
  let event: SessionEventEnvelope;
  if (SessionEventEnvelope.is(raw)) event = raw;
  else {
    const envelope = SessionEventEnvelope.decode(raw);
    if (isLeft(envelope)) return left(failure('session.event', envelope.left, raw, typeOf(raw)));
    event = envelope.right;
  }
  const codec = dataCodecOf(event.type);
  if (codec === undefined) {
    return right({ ...event, type: 'unknown', rawType: event.type, data: event.data });
  }
  if (codec.is(event.data)) return right(event as SessionEvent);
  const data = codec.decode(event.data);
  if (isLeft(data)) return left(failure('session.event', data.left, raw, event.type));
  // The cast restates what the codec just proved about `data`.
  return right({ ...event, data: data.right } as SessionEvent);
}

/** Decodes the params of a `session.lifecycle` notification. */
export function decodeLifecycleNotification(params: unknown): Either<DecodeFailure, SessionLifecycleEvent> {
  const decoded = SessionLifecycleEvent.decode(params);
  return isLeft(decoded) ? left(failure('session.lifecycle', decoded.left, params)) : decoded;
}

/**
 * The failure reported when handling a notification threw instead of returning (see EventHub): what
 * was thrown, bounded, in place of the codec's messages.
 */
export function thrownFailure(method: string, raw: unknown, error: unknown): DecodeFailure {
  const thrown = error instanceof Error ? error.message.slice(0, DEFAULT_QUOTE_CHARS) : quoteValue(error);
  const sessionId = readString(raw, 'sessionId');
  return {
    _tag: 'DecodeFailure',
    method,
    ...(sessionId !== undefined && { sessionId }),
    messages: [`the event hub failed on this notification: ${thrown}`],
    raw,
  };
}

function failure(method: string, errors: t.Errors, raw: unknown, eventType?: string): DecodeFailure {
  const messages = reportErrors(errors);
  const sessionId = readString(raw, 'sessionId');
  return {
    _tag: 'DecodeFailure',
    method,
    ...(sessionId !== undefined && { sessionId }),
    ...(eventType !== undefined && { eventType }),
    messages,
    raw,
  };
}

function typeOf(raw: unknown): string | undefined {
  return readString(raw, 'type');
}

function readString(raw: unknown, key: string): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const value = (raw as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}
