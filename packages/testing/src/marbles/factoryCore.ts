/**
 * The shared state behind the event builders: envelopes (through the same `EventStamper` the fake agent
 * uses) and the correlation ids that tie events together (the open message, turn, tool call, ...), so
 * that builders called without ids produce a stream whose ids agree with each other.
 */
import type { KnownSessionEventType, SessionEventData, SessionEventOf, UnknownSessionEvent } from '@copilot-rx/core';
import { EventStamper, type EnvelopeOverrides } from './eventStamper.js';

export interface EventFactoryConfig {
  /** The session the events belong to, where data names it (`external_tool.requested`). Default "session-1". */
  readonly sessionId?: string;
  /**
   * Where timestamps come from: a scheduler (anything with `now()`, e.g. the `TestScheduler`, whose
   * frames then show in the timestamps) or a function of epoch ms. Default: a fixed clock starting at
   * 2026-01-01T00:00:00.000Z that advances 1 ms per event.
   */
  readonly clock?: { now(): number } | (() => number);
}

/** The options every builder takes besides its data: the envelope fields to fix (`agentId`, `id`, ...). */
export interface EnvelopeOption {
  readonly envelope?: EnvelopeOverrides;
}

/** Correlation ids of what is open right now; builders default to these. */
export interface OpenIds {
  messageId?: string;
  reasoningId?: string;
  turnId?: string;
  interactionId?: string;
  toolCallId?: string;
  toolName?: string;
  permissionRequestId?: string;
  externalToolRequestId?: string;
}

const DEFAULT_EPOCH = Date.UTC(2026, 0, 1);

/** The factory's own state and its two generic builders. */
export class FactoryCore {
  readonly sessionId: string;
  readonly open: OpenIds = {};
  readonly #stamper: EventStamper;
  readonly #counters = new Map<string, number>();
  #nextTurn = 0;

  constructor(config: EventFactoryConfig = {}) {
    this.sessionId = config.sessionId ?? 'session-1';
    this.#stamper = new EventStamper({ ids: () => this.nextId('e'), now: clockOf(config.clock) });
  }

  /** `<prefix><n>`, counting per prefix from 1: e1, e2, m1, call_1, ... */
  nextId(prefix: string): string {
    const n = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, n);
    return `${prefix}${n}`;
  }

  /** The next turnId of the current user message ("0", "1", ...); a user message restarts it. */
  nextTurnId(): string {
    return String(this.#nextTurn++);
  }

  restartTurns(): void {
    this.#nextTurn = 0;
  }

  /** Any event of a type the schema lists, with its data as given. */
  event<K extends KnownSessionEventType>(type: K, data: SessionEventData<K>, envelope?: EnvelopeOverrides): SessionEventOf<K> {
    const stamped = this.#stamper.stamp(type, data as object, envelope);
    return { ...stamped, type, data } as SessionEventOf<K>;
  }

  /** An event of a type the schema does not list, as core decodes it: `type: 'unknown'` with `rawType`. */
  unknown(rawType: string, data: Readonly<Record<string, unknown>> = {}, envelope?: EnvelopeOverrides): UnknownSessionEvent {
    const stamped = this.#stamper.stamp(rawType, data, envelope);
    return { ...stamped, type: 'unknown', rawType, data };
  }
}

function clockOf(clock: EventFactoryConfig['clock']): () => number {
  if (typeof clock === 'function') return clock;
  if (clock !== undefined) return () => clock.now();
  let tick = 0;
  return () => DEFAULT_EPOCH + tick++;
}
