/**
 * The host's health: its record in the `copilot_hosts` KV bucket, rewritten every `ttlMs / 3`. The
 * bucket's max age is the TTL, so a host that dies leaves no record behind for long; consumers mark it
 * down once `heartbeatAt + ttlMs` passes without a newer one (NATS 2.9 sends no marker when a record
 * ages out). A host that stops cleanly deletes its record, which consumers see at once.
 */
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { HOSTS_BUCKET } from '../subjects.js';
import type { HealthRecord } from '../wire/records.js';

export interface HealthBeacon {
  /** Writes a record now (also done on every beat). */
  beat(): Promise<void>;
  /** Stops beating and deletes the record. */
  stop(): Promise<void>;
}

export async function openHostsBucket(nc: NatsConnection, ttlMs: number): Promise<KV> {
  const kvm = new Kvm(nc);
  try {
    return await kvm.create(HOSTS_BUCKET, { ttl: ttlMs, history: 1 });
  } catch {
    // It exists with another host's TTL: every host's record carries its own ttlMs, which is what
    // consumers go by; the bucket's age only cleans up.
    return kvm.open(HOSTS_BUCKET);
  }
}

export function startHealthBeacon(kv: KV, host: string, ttlMs: number, record: () => HealthRecord, onFailure: (error: unknown) => void): HealthBeacon {
  const beat = async () => {
    await kv.put(host, JSON.stringify(record()));
  };
  const timer = setInterval(() => void beat().catch(onFailure), Math.max(1, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    beat,
    stop: async () => {
      clearInterval(timer);
      await kv.delete(host);
    },
  };
}
