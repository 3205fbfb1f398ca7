/**
 * The client's event pipeline: raw notifications in; decoded, de-duplicated events out, on the
 * connection-wide stream and on each session's own stream. Routing is one Map lookup per event, so
 * the cost does not grow with the number of sessions (a `filter` per session would be O(sessions)).
 *
 * Streams and their ends: `events$` and every session route error with the connection's closure
 * error; the diagnostic streams (`decodeErrors$`, `lifecycle$`, `duplicatesDropped$`) complete.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { BehaviorSubject, Observable, Subject, type Subscription } from 'rxjs';
import type { SessionEvent } from '../codecs/sessionEvent.js';
import type { SessionLifecycleEvent } from '../codecs/lifecycle.js';
import type { RpcNotification } from '../rpc/connection.js';
import {
  decodeLifecycleNotification,
  decodeSessionEventNotification,
  thrownFailure,
  type DecodeFailure,
  type SessionEventNotification,
} from './decode.js';
import { UuidIdWindow } from './uuidIdWindow.js';

/** Where the hub delivers one session's events. Both calls must not throw. */
export interface SessionRoute {
  /** One event of the session, in wire order. */
  deliver(event: SessionEvent): void;
  /** The route is closed: completed, or failed with the connection's error. Called once. */
  end(error?: unknown): void;
}

/** Default de-duplication window: covers the ~40,000 distinct ids a flood's re-sends reached back. */
export const DEFAULT_DEDUPE_WINDOW = 65_536;

export class EventHub {
  readonly #events = new Subject<SessionEventNotification>();
  readonly #decodeErrors = new Subject<DecodeFailure>();
  readonly #lifecycle = new Subject<SessionLifecycleEvent>();
  readonly #otherNotifications = new Subject<RpcNotification>();
  readonly #duplicates = new BehaviorSubject<number>(0);
  readonly #routes = new Map<string, SessionRoute>();
  readonly #seen: UuidIdWindow;
  #duplicateCount = 0;
  #ended = false;

  readonly events$: Observable<SessionEventNotification> = this.#events.asObservable();
  readonly decodeErrors$: Observable<DecodeFailure> = this.#decodeErrors.asObservable();
  readonly lifecycle$: Observable<SessionLifecycleEvent> = this.#lifecycle.asObservable();
  /** Notifications of methods copilot-rx does not interpret (e.g. `host.event`), passed on as they came. */
  readonly otherNotifications$: Observable<RpcNotification> = this.#otherNotifications.asObservable();
  /** The running count of re-sent events dropped; replays the current count to new subscribers. */
  readonly duplicatesDropped$: Observable<number> = this.#duplicates.asObservable();

  constructor(dedupeWindow: number = DEFAULT_DEDUPE_WINDOW) {
    this.#seen = new UuidIdWindow(dedupeWindow);
  }

  get duplicatesDropped(): number {
    return this.#duplicateCount;
  }

  /** Feeds the hub from a connection's notifications; the hub ends when they end. */
  attach(notifications$: Observable<RpcNotification>): Subscription {
    return notifications$.subscribe({
      next: (notification) => this.#dispatchGuarded(notification),
      error: (error: unknown) => this.fail(error),
      complete: () => this.complete(),
    });
  }

  /**
   * Routes one session's events to `route`. Opened BEFORE `session.create` is sent, because the CLI
   * emits events for a session before it answers the create request. The route is a plain object the
   * session owns (no Subject or subscription per session until someone subscribes to it): an idle
   * session should cost next to nothing.
   */
  openRoute(sessionId: string, route: SessionRoute): void {
    this.#routes.set(sessionId, route);
  }

  /** Ends and forgets a session's route; its later events reach only `events$`. */
  closeRoute(sessionId: string): void {
    const route = this.#routes.get(sessionId);
    this.#routes.delete(sessionId);
    route?.end();
  }

  fail(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const route of this.#routes.values()) route.end(error);
    this.#routes.clear();
    this.#events.error(error);
    this.#endDiagnostics();
  }

  complete(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const route of this.#routes.values()) route.end();
    this.#routes.clear();
    this.#events.complete();
    this.#endDiagnostics();
  }

  #endDiagnostics(): void {
    this.#decodeErrors.complete();
    this.#lifecycle.complete();
    this.#otherNotifications.complete();
    this.#duplicates.complete();
  }

  /**
   * Whatever handling one notification throws (a decoder's bug, a route breaking its contract) is
   * reported on `decodeErrors$`, and the next one is handled. Thrown from here it would reach RxJS,
   * which rethrows a subscriber's error on a timer: that ends the host process.
   */
  #dispatchGuarded(notification: RpcNotification): void {
    try {
      this.#dispatch(notification);
    } catch (error) {
      this.#decodeErrors.next(thrownFailure(notification.method, notification.params, error));
    }
  }

  #dispatch(notification: RpcNotification): void {
    switch (notification.method) {
      case 'session.event':
        return this.#dispatchEvent(notification.params);
      case 'session.lifecycle': {
        const decoded = decodeLifecycleNotification(notification.params);
        if (isLeft(decoded)) this.#decodeErrors.next(decoded.left);
        else this.#lifecycle.next(decoded.right);
        return;
      }
      default:
        this.#otherNotifications.next(notification);
    }
  }

  /**
   * One event read from a session's history (a backfill) instead of received as a notification:
   * decoded and de-duplicated like a live one, and put on `events$` when it is new. Returned for the
   * caller to deliver to the session in history order; undefined for a repeat or a decode failure.
   */
  admit(sessionId: string, event: unknown): SessionEvent | undefined {
    return this.#admit({ sessionId, event })?.event;
  }

  #dispatchEvent(params: unknown): void {
    const notification = this.#admit(params);
    // The connection-wide stream first (in #admit), then the session's own: a subscriber to both sees
    // an event on `events$` before its session stream, always.
    if (notification) this.#routes.get(notification.sessionId)?.deliver(notification.event);
  }

  #admit(params: unknown): SessionEventNotification | undefined {
    if (this.#ended) return undefined;
    const decoded = decodeSessionEventNotification(params);
    if (isLeft(decoded)) {
      this.#decodeErrors.next(decoded.left);
      return undefined;
    }
    const notification = decoded.right;
    if (!this.#seen.add(notification.event.id)) {
      this.#duplicates.next(++this.#duplicateCount);
      return undefined;
    }
    this.#events.next(notification);
    return notification;
  }
}
