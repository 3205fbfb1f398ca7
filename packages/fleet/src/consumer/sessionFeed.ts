/**
 * One session's live feed for a remote turn: its events and its lifecycle records (a host's
 * `turn.failed` ends a turn). Events are decoded and de-duplicated by event id exactly as in
 * fleetEvents; what does not decode is reported and the feed reads on.
 *
 * Two ordered consumers, one per subject, not one on `copilot.<host>.<sessionId>.*`: nats-server 2.9
 * (Debian 12's) refuses a consumer filter that is not within ONE of the stream's subjects ("consumer
 * filter subject is not a valid subset of the interest subjects"), and multi-filter consumers need
 * 2.10. So each subject keeps its own order but the two are not ordered against each other: a
 * `turn.failed` names its turn rather than relying on where it falls among the events. `onReady` is
 * called once both consumers exist on the broker.
 */
import { merge, Observable } from 'rxjs';
import { DEFAULT_DEDUPE_WINDOW, UuidIdWindow, type SessionEvent } from '@copilot-rx/core';
import type { JetStreamClient } from '@nats-io/jetstream';
import { FleetDecodeError } from '../errors.js';
import { sessionSubject } from '../subjects.js';
import type { LifecycleRecord } from '../wire/records.js';
import { decodeBatch } from './decodeBatch.js';
import { decodeLifecycle } from './decodeLifecycle.js';
import { readStream } from './readStream.js';
import type { StreamWait } from './streamWait.js';

export type SessionFeedItem =
  | { readonly kind: 'event'; readonly event: SessionEvent }
  | { readonly kind: 'lifecycle'; readonly record: LifecycleRecord };

export interface SessionFeedConfig {
  readonly host: string;
  readonly sessionId: string;
  readonly dedupeWindow?: number;
  /** Called once the broker holds both consumers: from then on, nothing published is missed. */
  readonly onReady?: () => void;
  readonly wait?: StreamWait;
  readonly onDecodeFailure: (error: FleetDecodeError) => void;
}

export function sessionFeed(js: JetStreamClient, config: SessionFeedConfig): Observable<SessionFeedItem> {
  const { host, sessionId, wait, onDecodeFailure } = config;
  return new Observable<SessionFeedItem>((subscriber) => {
    const seen = new UuidIdWindow(config.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW);
    let notReady = 2;
    const onReady = () => {
      if (--notReady === 0) config.onReady?.();
    };
    const events = readStream(js, { filter: sessionSubject(host, sessionId, 'event'), deliver: 'new', wait, onReady });
    const records = readStream(js, { filter: sessionSubject(host, sessionId, 'lifecycle'), deliver: 'new', wait, onReady });
    return merge(
      new Observable<SessionFeedItem>((out) =>
        events.subscribe({
          next: (msg) =>
            decodeBatch(
              msg.subject,
              msg.string(),
              (event) => {
                if (seen.add(event.id)) out.next({ kind: 'event', event });
              },
              onDecodeFailure,
            ),
          error: (error: unknown) => out.error(error),
          complete: () => out.complete(),
        }),
      ),
      new Observable<SessionFeedItem>((out) =>
        records.subscribe({
          next: (msg) => {
            const record = decodeLifecycle(msg);
            if (record instanceof FleetDecodeError) onDecodeFailure(record);
            else out.next({ kind: 'lifecycle', record });
          },
          error: (error: unknown) => out.error(error),
          complete: () => out.complete(),
        }),
      ),
    ).subscribe(subscriber);
  });
}
