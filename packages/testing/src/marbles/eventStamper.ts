import { isEphemeralType } from './ephemeralTypes.js';

/**
 * A session event as the CLI puts it on the wire inside `session.event` (protocol.md §4.1): `data`
 * always an object, `ephemeral` present only when true, `agentId` only on sub-agent events.
 */
export interface WireSessionEvent {
  readonly type: string;
  readonly data: object;
  readonly ephemeral?: true;
  readonly id: string;
  readonly timestamp: string;
  readonly parentId: string | null;
  readonly agentId?: string;
}

/** Envelope fields a caller may fix instead of letting the stamper choose them. */
export interface EnvelopeOverrides {
  /** Default: the next id from the stamper's generator. */
  readonly id?: string;
  /** Default: the stamper's clock, as an ISO-8601 string. */
  readonly timestamp?: string;
  /** Default: the id of the latest persisted event stamped so far (`null` before the first). */
  readonly parentId?: string | null;
  /** Default: by type, as the CLI does (`isEphemeralType`). */
  readonly ephemeral?: boolean;
  /** Set on events of a sub-agent. */
  readonly agentId?: string;
}

export interface EventStamperConfig {
  /** Makes event ids. */
  readonly ids: () => string;
  /** Epoch milliseconds for timestamps; an RxJS scheduler's `now` fits. */
  readonly now: () => number;
}

/**
 * Gives events the envelope the CLI gives them: an id, a timestamp, and a `parentId` that points at
 * the latest **persisted** event of the session (ephemeral events never become parents, §4.1).
 * One stamper per session; it is the only place that state lives, so envelopes stay consistent
 * whoever builds the events (the marble builders and the fake agent share it).
 */
export class EventStamper {
  readonly #config: EventStamperConfig;
  #lastPersistedId: string | null = null;

  constructor(config: EventStamperConfig) {
    this.#config = config;
  }

  /** The id the next event's `parentId` will carry: the latest persisted event's, or null. */
  get lastPersistedId(): string | null {
    return this.#lastPersistedId;
  }

  /** Wraps `data` in an envelope and, when the event is persisted, makes it the next parent. */
  stamp(type: string, data: object, overrides: EnvelopeOverrides = {}): WireSessionEvent {
    const ephemeral = overrides.ephemeral ?? isEphemeralType(type);
    const id = overrides.id ?? this.#config.ids();
    const event: WireSessionEvent = {
      type,
      data,
      ...(ephemeral ? { ephemeral: true as const } : {}),
      id,
      timestamp: overrides.timestamp ?? new Date(this.#config.now()).toISOString(),
      parentId: overrides.parentId !== undefined ? overrides.parentId : this.#lastPersistedId,
      ...(overrides.agentId !== undefined ? { agentId: overrides.agentId } : {}),
    };
    if (!ephemeral) this.#lastPersistedId = id;
    return event;
  }
}
