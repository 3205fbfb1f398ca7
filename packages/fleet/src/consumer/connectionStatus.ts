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

/** Replays the current state to each new subscriber; completes once the connection is closed. */
export function connectionStatus(nc: NatsConnection): Observable<FleetConnectionStatus> {
  const status = new BehaviorSubject<FleetConnectionStatus>({ state: nc.isClosed() ? 'closed' : 'connected', server: nc.getServer(), error: undefined });
  const set = (change: Partial<FleetConnectionStatus>) => {
    if (!status.closed) status.next({ ...status.value, ...change });
  };
  void (async () => {
    for await (const event of nc.status()) {
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
  return status.asObservable();
}
