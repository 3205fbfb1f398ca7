import type { Observable } from 'rxjs';
import type { CopilotFleet } from '@copilot-rx/fleet';
import { DashboardStore } from '../model/DashboardStore';
import { startDashboardServer } from '../server/startDashboardServer';
import type { Dashboard, DashboardOptions } from '../startDashboard';
import { fleetHealth, type BrokerState } from './fleetHealth';
import { FleetSessionManager } from './FleetSessionManager';

export interface FleetDashboardOptions extends Omit<DashboardOptions, 'demo'> {
  /** The broker connection's state for the health bar. */
  readonly broker$: Observable<BrokerState>;
}

/**
 * The dashboard on a fleet: every host and session the broker carries, driven through the hosts'
 * control services. Same server, page and store as the embedded mode; no CLI of its own. The fleet
 * is the caller's to close.
 */
export async function startFleetDashboard(fleet: CopilotFleet, options: FleetDashboardOptions): Promise<Dashboard> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const store = new DashboardStore('fleet');
  const health = fleetHealth({ broker$: options.broker$, decodeErrors$: fleet.decodeErrors$, controlFailures$: fleet.controlFailures$ }).subscribe((value) =>
    store.apply({ kind: 'health', health: value }),
  );
  const sessions = new FleetSessionManager(fleet, store, log);
  sessions.start();
  const server = await startDashboardServer({ store, sessions, ...(options.port === undefined ? {} : { port: options.port }) }).catch((error: unknown) => {
    health.unsubscribe();
    sessions.dispose();
    throw error;
  });
  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    store,
    sessions,
    close: () =>
      (closing ??= (async () => {
        store.complete();
        health.unsubscribe();
        sessions.dispose();
        await server.close();
      })()),
  };
}
