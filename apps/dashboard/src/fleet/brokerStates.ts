import { map, type Observable } from 'rxjs';
import type { CopilotFleet } from '@copilot-rx/fleet';
import type { BrokerState } from './fleetHealth';

/** The fleet's connection status in the health bar's terms. */
export function brokerStates(fleet: Pick<CopilotFleet, 'status$'>): Observable<BrokerState> {
  return fleet.status$.pipe(map(({ state, server, error }) => ({ status: state, ...(server === undefined ? {} : { server }), ...(error === undefined ? {} : { error }) })));
}
