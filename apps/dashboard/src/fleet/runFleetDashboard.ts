import { CopilotFleet, natsConnectOptions } from '@copilot-rx/fleet';
import type { AppArgs } from '../args';
import { describeError } from '../describeError';
import type { Dashboard } from '../startDashboard';
import { brokerStates } from './brokerStates';
import { startFleetDashboard } from './startFleetDashboard';

export interface FleetRunContext {
  readonly say: (line: string) => void;
  /** Serves the dashboard until the app is stopped, then closes it; resolves with the exit code. */
  readonly serve: (dashboard: Dashboard) => Promise<number>;
  readonly stop: AbortSignal;
}

/** A broker that cannot be reached is the user's to fix: say which, and how the credentials are given. */
export class FleetUnreachableError extends Error {
  override readonly name = 'FleetUnreachableError';
}

/** `npm start -- --fleet URL`: connects to the fleet's broker, serves the dashboard on it, closes the connection at the end. */
export async function runFleetDashboard(args: AppArgs, context: FleetRunContext): Promise<number> {
  const servers = args.fleet.join(', ');
  const fleet = await CopilotFleet.connect({
    nats: { connect: natsConnectOptions({ servers: args.fleet, name: 'copilot-rx dashboard', credsFile: args.fleetCreds, tlsCaFile: args.fleetTlsCa }, process.env) },
  }).catch((error: unknown) => {
    throw new FleetUnreachableError(`Cannot connect to the fleet's NATS server (${servers}): ${describeError(error)}. Is it up? Credentials come from NATS_TOKEN, NATS_USER/NATS_PASSWORD or --fleet-creds.`);
  });
  try {
    context.say(`watching the fleet at ${servers}`);
    if (context.stop.aborted) return 130;
    return await context.serve(await startFleetDashboard(fleet, { port: args.port, broker$: brokerStates(fleet) }));
  } finally {
    await fleet.close();
  }
}
