import type { Backend } from './backend/startBackend';
import { connectionHealth } from './model/connectionHealth';
import { DashboardStore } from './model/DashboardStore';
import { startDemoSessions } from './sessions/demoSessions';
import { PermissionBroker } from './sessions/PermissionBroker';
import type { DashboardSessions } from './sessions/DashboardSessions';
import { SessionManager } from './sessions/SessionManager';
import { startDashboardServer } from './server/startDashboardServer';

export interface Dashboard {
  /** The URL to open, access token included. */
  readonly url: string;
  readonly store: DashboardStore;
  readonly sessions: DashboardSessions;
  /** Ends the pages' streams, stops the turns and the server. The backend is the caller's to stop. */
  close(): Promise<void>;
}

export interface DashboardOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Start the demo sessions. Default true. */
  readonly demo?: boolean;
  /** Where start-up problems are reported. Default: stderr. */
  readonly log?: (line: string) => void;
}

/** The dashboard on a backend: the store fed from the client's and sessions' Observables, and the server. */
export async function startDashboard(backend: Backend, options: DashboardOptions = {}): Promise<Dashboard> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const store = new DashboardStore(backend.mode);
  const health = connectionHealth(backend.client, backend.mode).subscribe((value) => store.apply({ kind: 'health', health: value }));
  const sessions = new SessionManager(backend, store, new PermissionBroker());
  const server = await startDashboardServer({ store, sessions, ...(options.port === undefined ? {} : { port: options.port }) });
  if (options.demo ?? true) await startDemoSessions(sessions, log);
  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    store,
    sessions,
    close: () =>
      (closing ??= (async () => {
        // Pages get their 'end' event first, so they do not try to reconnect to a server that is going.
        store.complete();
        health.unsubscribe();
        sessions.dispose();
        await server.close();
      })()),
  };
}
