/**
 * The JetStream stream of the fleet and the KV bucket of host health, created idempotently: every host
 * calls `ensureFleetStream` at start; the first creates, the others find it, and a host started with
 * different limits updates them (the last host's limits win, so keep them in one deployment config).
 */
import type { JetStreamManager, StreamConfig, StreamInfo } from '@nats-io/jetstream';
import { RetentionPolicy, StorageType, DiscardPolicy } from '@nats-io/jetstream';
import { FLEET_STREAM, fleetStreamSubjects } from './subjects.js';

/** The retention limits of the fleet stream. */
export interface FleetStreamLimits {
  /** Drop records older than this. Default: 24 hours. */
  readonly maxAgeMs?: number;
  /** Stream size bound; the oldest records go first. Default: 1 GiB. */
  readonly maxBytes?: number;
  /**
   * Largest single message (one batch of events), in bytes with its headers. Default: 1 MiB, NATS's
   * default max_payload. A host's outbox keeps its messages under it (see `largestFleetMessage`).
   */
  readonly maxMsgSize?: number;
  /** How long the broker remembers message ids to drop a re-published one. Default: 2 minutes. */
  readonly duplicateWindowMs?: number;
  /** Replicas in a cluster (1 on a single server). Default: 1. */
  readonly replicas?: number;
}

export const DEFAULT_STREAM_LIMITS: Required<FleetStreamLimits> = {
  maxAgeMs: 24 * 3600_000,
  maxBytes: 1024 ** 3,
  maxMsgSize: 1024 ** 2,
  duplicateWindowMs: 120_000,
  replicas: 1,
};

const NS_PER_MS = 1_000_000;

/** The stream's config: limits retention (any number of consumers read; nothing is consumed away). */
export function fleetStreamConfig(limits: FleetStreamLimits = {}): StreamConfig {
  const l = { ...DEFAULT_STREAM_LIMITS, ...limits };
  return {
    name: FLEET_STREAM,
    subjects: fleetStreamSubjects(),
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    // Old records go first: a consumer that is too far behind sees a gap in stream sequences, while
    // `discard: new` would make every host's publish fail at once when the stream is full.
    discard: DiscardPolicy.Old,
    max_age: l.maxAgeMs * NS_PER_MS,
    max_bytes: l.maxBytes,
    max_msg_size: l.maxMsgSize,
    duplicate_window: l.duplicateWindowMs * NS_PER_MS,
    num_replicas: l.replicas,
  } as StreamConfig;
}

/**
 * Creates the fleet stream, or brings an existing one to these limits. Safe to call from every host.
 * Resolves with the stream as the broker has it.
 */
export async function ensureFleetStream(jsm: JetStreamManager, limits: FleetStreamLimits = {}): Promise<StreamInfo> {
  const config = fleetStreamConfig(limits);
  try {
    return await jsm.streams.add(config);
  } catch (error) {
    // Another host created it first, with other limits (an identical config is not an error).
    if (!isStreamNameInUse(error)) throw error;
    const { name, ...update } = config;
    return await jsm.streams.update(name, update);
  }
}

/**
 * The largest message a host may publish to the fleet stream, headers included: the stream's
 * `max_msg_size` (-1 or 0: no limit of its own) or the server's `max_payload`, whichever is smaller.
 * Both count every byte of the message; a larger one is refused on every retry.
 */
export function largestFleetMessage(streamMaxMsgSize: number | undefined, serverMaxPayload: number | undefined): number {
  const limits = [streamMaxMsgSize, serverMaxPayload].filter((limit): limit is number => limit !== undefined && limit > 0);
  return limits.length > 0 ? Math.min(...limits) : DEFAULT_STREAM_LIMITS.maxMsgSize;
}

function isStreamNameInUse(error: unknown): boolean {
  const apiError = (error as { api_error?: { err_code?: number } }).api_error;
  // 10058: "stream name already in use with a different configuration".
  return apiError?.err_code === 10058 || /already in use/.test(String((error as Error).message));
}
