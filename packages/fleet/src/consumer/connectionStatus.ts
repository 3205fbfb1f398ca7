/**
 * The broker connection's state for a UI: `connected` (to which server), `reconnecting` (the client
 * retries on its own; reads resume when it is back), `closed` (final, with the reason when there was
 * one). Read from the NATS client's own status events and its `closed()` promise.
 */
import { BehaviorSubject, type Observable } from 'rxjs';
import type { NatsConnection } from '@nats-io/transport-node';

export type FleetConnectionState = 'connected' | 'reconnecting' | 'closed';

export interface FleetConnectionStatus {
  readonly state: FleetConnectionState;
  /** The server the connection is (or was last) on, `host:port`. */
  readonly server: string | undefined;
  /** The latest error the client or the broker reported, until the connection is back. */
  readonly error: string | undefined;
}

export interface ConnectionStatusWatch {
  /** Replays the current state to each new subscriber; completes once the connection is closed, or at `stop()`. */
  readonly status$: Observable<FleetConnectionStatus>;
  /**
   * Stops watching a connection the fleet does not own (the app's, which stays open after the fleet
   * closes): lets go of the client's status listener and completes `status$` where it stands.
   */
  readonly stop: () => void;
}

export function connectionStatus(nc: NatsConnection): ConnectionStatusWatch {
  const status = new BehaviorSubject<FleetConnectionStatus>({ state: nc.isClosed() ? 'closed' : 'connected', server: nc.getServer(), error: undefined });
  const set = (change: Partial<FleetConnectionStatus>) => {
    if (!status.closed) status.next({ ...status.value, ...change });
  };
  const events = nc.status();
  void (async () => {
    for await (const event of events) {
      switch (event.type) {
        case 'disconnect':
          set({ state: 'reconnecting', server: event.server, error: `disconnected from ${event.server}` });
          break;
        case 'reconnecting':
          set({ state: 'reconnecting' });
          break;
        case 'reconnect':
          set({ state: 'connected', server: event.server, error: undefined });
          break;
        case 'error':
          set({ error: event.error.message });
          break;
      }
    }
  })().catch(() => undefined); // the iterator ends with the connection; closed() below says how
  void nc.closed().then((error) => {
    set({ state: 'closed', ...(error ? { error: error.message } : {}) });
    status.complete();
  });
  return {
    status$: status.asObservable(),
    stop: () => {
      // The client's status() is a QueuedIterator (typed as a bare AsyncIterable): stopping it removes
      // its listener from the connection, which would otherwise hold it as long as the app's connection lives.
      (events as { stop?: () => void }).stop?.();
      status.complete();
    },
  };
}
