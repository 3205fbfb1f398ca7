/**
 * A cold Observable over the fleet stream: each subscription is its own JetStream ordered consumer
 * (ephemeral; the client re-creates it at the right sequence after a broker restart, so nothing is
 * skipped or repeated), filtered to one subject pattern. Unsubscribing stops it.
 *
 * Started before the stream exists, it waits for it (see streamWait.ts): it looks again every
 * `wait.retryMs` until a host has created it, then reads as usual; so it does when the broker did not
 * answer the opening in time (it may be restarting). Unsubscribing also cancels the wait.
 */
import { defer, Observable, retry, switchMap, throwError, timer } from 'rxjs';
import { DeliverPolicy, type Consumer, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { FLEET_STREAM } from '../subjects.js';
import { DEFAULT_STREAM_WAIT, isRequestTimeout, isStreamMissing, type StreamWait } from './streamWait.js';

export type DeliverFrom = 'all' | 'new';

const PULL_EXPIRES_MS = 10_000;

export interface StreamReadConfig {
  readonly filter: string;
  readonly deliver: DeliverFrom;
  /**
   * Called once the consumer exists on the broker (from then on, nothing published is missed), with
   * how many stored messages it has to deliver: 0 means the filter matches nothing stored yet.
   */
  readonly onReady?: (ready: { readonly pending: number }) => void;
  /** How a read started before the stream exists waits for it. Default: DEFAULT_STREAM_WAIT. */
  readonly wait?: StreamWait;
  /**
   * The stream must exist now: "stream not found" is the read's error at once, not a wait. For a read
   * that must find something stored (an event id), which a stream that does not exist cannot hold.
   * An opening the broker did not answer in time is still looked at again.
   */
  readonly mustExist?: boolean;
}

export function readStream(js: JetStreamClient, config: StreamReadConfig): Observable<JsMsg> {
  const { retryMs, scheduler } = config.wait ?? DEFAULT_STREAM_WAIT;
  const consumer$ = defer(() =>
    js.consumers.get(FLEET_STREAM, {
      filter_subjects: config.filter,
      deliver_policy: config.deliver === 'all' ? DeliverPolicy.All : DeliverPolicy.New,
    }),
  ).pipe(
    // Only the opening is retried: once reading, the ordered consumer recovers by itself, and an
    // error then is the read's end. A broker restarting may not answer the opening in time: looked
    // again like a missing stream (a turn bounds its read's wait to be ready).
    // A read that must find an event id does not wait for a missing stream, but does look again after
    // a timeout: the stream may well exist, and the broker is only slow to answer.
    retry({ delay: (error: unknown) => (isRequestTimeout(error) || (isStreamMissing(error) && !config.mustExist) ? timer(retryMs, scheduler) : throwError(() => error)) }),
  );
  return consumer$.pipe(switchMap((consumer) => consume(consumer, config.onReady)));
}

function consume(consumer: Consumer, onReady: StreamReadConfig['onReady']): Observable<JsMsg> {
  return new Observable<JsMsg>((subscriber) => {
    let stopped = false;
    let stop: (() => void) | undefined;
    void (async () => {
      const messages = await consumer.consume({
        // Each pull lasts 10 s (the client's default is 30 s): after a broker restart the ordered
        // consumer notices the missed heartbeats (half of this, twice) and re-creates itself at the
        // right sequence within about 10 s instead of 30. One pull per idle reader every 10 s is cheap.
        expires: PULL_EXPIRES_MS,
        // The callback runs in the NATS client's read path: a throw from downstream must not escape
        // into it, so it becomes this Observable's error.
        callback: (msg) => {
          try {
            subscriber.next(msg);
          } catch (error) {
            subscriber.error(error);
          }
        },
      });
      stop = () => void messages.stop();
      if (stopped) return stop();
      onReady?.({ pending: (await consumer.info(true)).num_pending });
    })().catch((error: unknown) => subscriber.error(error));
    return () => {
      stopped = true;
      stop?.();
    };
  });
}
