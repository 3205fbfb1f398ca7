/**
 * The JetStream stream of the fleet and the KV bucket of host health, created idempotently: every host
 * calls `ensureFleetStream` at start; the first creates, the others find it, and a host started with
 * different limits updates them (the last host's limits win, so keep them in one deployment config).
 */
import type { JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import { RetentionPolicy, StorageType, DiscardPolicy } from '@nats-io/jetstream';
import { FLEET_STREAM, fleetStreamSubjects } from './subjects.js';

/** The retention limits of the fleet stream. */
export interface FleetStreamLimits {
  /** Drop records older than this. Default: 24 hours. */
  readonly maxAgeMs?: number;
  /** Stream size bound; the oldest records go first. Default: 1 GiB. */
  readonly maxBytes?: number;
  /** Largest single message (one batch of events). Default: 1 MiB, NATS's default max_payload. */
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

/** Creates the fleet stream, or brings an existing one to these limits. Safe to call from every host. */
export async function ensureFleetStream(jsm: JetStreamManager, limits: FleetStreamLimits = {}): Promise<void> {
  const config = fleetStreamConfig(limits);
  try {
    await jsm.streams.add(config);
  } catch (error) {
    // Another host created it first, with other limits (an identical config is not an error).
    if (!isStreamNameInUse(error)) throw error;
    const { name, ...update } = config;
    await jsm.streams.update(name, update);
  }
}

function isStreamNameInUse(error: unknown): boolean {
  const apiError = (error as { api_error?: { err_code?: number } }).api_error;
  // 10058: "stream name already in use with a different configuration".
  return apiError?.err_code === 10058 || /already in use/.test(String((error as Error).message));
}
