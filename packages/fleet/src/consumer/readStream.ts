/**
 * A cold Observable over the fleet stream: each subscription is its own JetStream ordered consumer
 * (ephemeral; the client re-creates it at the right sequence after a broker restart, so nothing is
 * skipped or repeated), filtered to one subject pattern. Unsubscribing stops it.
 */
import { Observable } from 'rxjs';
import { DeliverPolicy, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { FLEET_STREAM } from '../subjects.js';

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
}

export function readStream(js: JetStreamClient, config: StreamReadConfig): Observable<JsMsg> {
  return new Observable<JsMsg>((subscriber) => {
    let stopped = false;
    let stop: (() => void) | undefined;
    void (async () => {
      const consumer = await js.consumers.get(FLEET_STREAM, {
        filter_subjects: config.filter,
        deliver_policy: config.deliver === 'all' ? DeliverPolicy.All : DeliverPolicy.New,
      });
      if (stopped) return;
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
      config.onReady?.({ pending: (await consumer.info(true)).num_pending });
    })().catch((error: unknown) => subscriber.error(error));
    return () => {
      stopped = true;
      stop?.();
    };
  });
}
