/**
 * Reads started before any host: the fleet stream and the hosts bucket are created by the first host
 * (or an administrator), and until then the broker answers every read with "stream not found". A
 * dashboard started before its hosts must just work, so reads treat that one answer as "not yet" and
 * look again every `retryMs` on the scheduler; any other error (permission denied, connection closed)
 * still ends the read.
 */
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { JetStreamApiCodes } from '@nats-io/jetstream';

/** How long a read waits between looks for a stream or bucket that does not exist yet. */
export const DEFAULT_STREAM_RETRY_MS = 1_000;

export interface StreamWait {
  readonly retryMs: number;
  readonly scheduler: SchedulerLike;
}

export const DEFAULT_STREAM_WAIT: StreamWait = { retryMs: DEFAULT_STREAM_RETRY_MS, scheduler: asyncScheduler };

/** The broker's "stream not found" (JetStream API error 10059), for the stream and the bucket alike. */
export function isStreamMissing(error: unknown): boolean {
  // By code, not class: @nats-io/kv and @nats-io/jetstream may each load their own copy of the class.
  return error instanceof Error && (error as { code?: unknown }).code === JetStreamApiCodes.StreamNotFound;
}

/**
 * A JetStream API request the broker did not answer in time (the client's TimeoutError): right after a
 * broker restart its JetStream may take seconds to answer again, so opening a read looks again too.
 */
export function isRequestTimeout(error: unknown): boolean {
  // By name, for the same reason as above: the class may come from another copy of @nats-io/nats-core.
  return error instanceof Error && error.name === 'TimeoutError';
}
