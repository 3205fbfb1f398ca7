/**
 * The session event: an envelope (`id`, `timestamp`, `parentId`, `ephemeral?`, `agentId?`) around a
 * `type` and its `data` (protocol.md §4.1). Every type of the CLI's schema has its own data codec
 * (generated/); a type the schema does not know decodes as an `UnknownSessionEvent` that keeps the raw
 * type and data, because the CLI sends many types no schema lists (`model.*`, `agent.interrupted`, ...).
 */
import * as t from 'io-ts';
import {
  ephemeralOnlyEventTypes,
  sessionEventDataCodecs,
  type KnownSessionEventType,
  type SessionEventDataMap,
} from './generated/index.js';

export { ephemeralOnlyEventTypes, sessionEventDataCodecs, type KnownSessionEventType, type SessionEventDataMap };

/**
 * The envelope every event shares. `data` is checked to be an object here; its shape is checked by
 * the codec of the event's type. Extra envelope fields are tolerated.
 */
export const SessionEventEnvelope = t.intersection([
  t.type({
    /** Unique per event (UUID v4). Re-sent events repeat it: that is how duplicates are recognised. */
    id: t.string,
    /** ISO-8601 creation time. Use wire order, not this, to order events. */
    timestamp: t.string,
    /** The latest persisted event of the session when this one was created; null for session.start. */
    parentId: t.union([t.string, t.null]),
    type: t.string,
    data: t.UnknownRecord,
  }),
  t.partial({
    /** Present and true on events that are never persisted. */
    ephemeral: t.boolean,
    /** Set on the events of a sub-agent instance; absent for the main agent. */
    agentId: t.string,
  }),
]);
export type SessionEventEnvelope = t.TypeOf<typeof SessionEventEnvelope>;

interface EnvelopeFields {
  readonly id: string;
  readonly timestamp: string;
  readonly parentId: string | null;
  readonly ephemeral?: boolean;
  readonly agentId?: string;
}

/** The event of one known type, with its decoded data. */
export type SessionEventOf<K extends KnownSessionEventType> = EnvelopeFields & {
  readonly type: K;
  readonly data: SessionEventDataMap[K];
};

/** The `data` of one known event type. */
export type SessionEventData<K extends KnownSessionEventType> = SessionEventDataMap[K];

/** Every event type of the schema, as a union discriminated on `type`. */
export type KnownSessionEvent = { [K in KnownSessionEventType]: SessionEventOf<K> }[KnownSessionEventType];

/**
 * An event whose type the schema does not list. `type` is the catch-all `'unknown'` (so it never
 * blurs the narrowing of known types); the wire type is in `rawType` and the data is kept as it came.
 */
export interface UnknownSessionEvent extends EnvelopeFields {
  readonly type: 'unknown';
  readonly rawType: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A decoded session event: a known type with checked data, or an unknown type passed through. */
export type SessionEvent = KnownSessionEvent | UnknownSessionEvent;

/** Every `type` a `SessionEvent` can have, `'unknown'` included. */
export type SessionEventType = SessionEvent['type'];

const dataCodecs: ReadonlyMap<string, t.Mixed> = new Map(Object.entries(sessionEventDataCodecs));

/** The data codec of a known event type, or undefined for a type the schema does not list. */
export function dataCodecOf(type: string): t.Mixed | undefined {
  return dataCodecs.get(type);
}

/** True when the schema lists `type`. */
export function isKnownEventType(type: string): type is KnownSessionEventType {
  return dataCodecs.has(type);
}
