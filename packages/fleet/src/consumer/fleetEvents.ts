/**
 * Fleet events: session events read back from the stream, decoded and de-duplicated by event id (the
 * broker already drops re-published message ids within its duplicate window; the window here covers
 * what is older, like a local client's). Per subscription: its own consumer, its own window.
 */
import { Observable } from 'rxjs';
import { DEFAULT_DEDUPE_WINDOW, UuidIdWindow, type SessionEvent } from '@copilot-rx/core';
import type { JetStreamClient } from '@nats-io/jetstream';
import { FleetDecodeError, FleetEventNotFoundError } from '../errors.js';
import { NOT_SESSION_TOKENS, parseSubject, sessionSubject } from '../subjects.js';
import { decodeBatch } from './decodeBatch.js';
import { readStream } from './readStream.js';
import { isStreamMissing, type StreamWait } from './streamWait.js';

/** A session event with where it comes from. */
export interface FleetEvent {
  readonly host: string;
  readonly sessionId: string;
  readonly event: SessionEvent;
}

/** Where a read starts: every stored event, only new ones, or the ones after a given event id. */
export type ReplayFrom = 'start' | 'live' | { readonly afterEventId: string };

export interface FleetEventsConfig {
  readonly host: string | '*';
  readonly sessionId: string | '*';
  readonly from: ReplayFrom;
  readonly dedupeWindow?: number;
  readonly onReady?: () => void;
  /** How a read started before the stream exists waits for it. */
  readonly wait?: StreamWait;
  readonly onDecodeFailure: (error: FleetDecodeError) => void;
}

export function fleetEvents(js: JetStreamClient, config: FleetEventsConfig): Observable<FleetEvent> {
  const filter = sessionSubject(config.host, config.sessionId, 'event');
  return new Observable<FleetEvent>((subscriber) => {
    const seen = new UuidIdWindow(config.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW);
    const after = typeof config.from === 'object' ? config.from.afterEventId : undefined;
    let found = after === undefined;
    const notFound = () => new FleetEventNotFoundError(after!, filter);
    const source = readStream(js, {
      filter,
      deliver: config.from === 'live' ? 'new' : 'all',
      wait: config.wait,
      // A live tail or a replay from the start may wait for the first host; a read that must find an
      // event id cannot find it in a stream that does not exist, so it does not wait (unboundedly) for one;
      // it still looks again when the broker is slow to answer (right after a restart), as every read does.
      mustExist: after !== undefined,
      onReady: ({ pending }) => {
        // Nothing stored for this filter: no message will come to say the event is missing.
        if (!found && pending === 0) return subscriber.error(notFound());
        config.onReady?.();
      },
    });
    return source.subscribe({
      next: (msg) => {
        const where = parseSubject(msg.subject);
        // A '*' filter matches any token, so a publisher may name a host or session no `session()` takes.
        if (!where) config.onDecodeFailure(new FleetDecodeError(msg.subject, [NOT_SESSION_TOKENS], msg.string()));
        else
          decodeBatch(
            msg.subject,
            msg.string(),
            (event) => {
              if (!seen.add(event.id)) return;
              if (!found) {
                found = event.id === after;
                return;
              }
              subscriber.next({ host: where.host, sessionId: where.sessionId, event });
            },
            config.onDecodeFailure,
          );
        // Everything stored was read and the event asked for was not in it: say so rather than wait.
        if (!found && msg.info.pending === 0) subscriber.error(notFound());
      },
      error: (error: unknown) => subscriber.error(after !== undefined && isStreamMissing(error) ? notFound() : error),
      complete: () => subscriber.complete(),
    });
  });
}
