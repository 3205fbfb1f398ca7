/**
 * CopilotFleet.status$ on a real broker: connected to the server, reconnecting while the broker
 * restarts, connected again once it is back, closed (and complete) when the fleet closes.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { CopilotFleet, type FleetConnectionStatus } from '@copilot-rx/fleet';
import { waitFor } from './fleetFixture';
import { natsServerTool, startNatsServer, type NatsServer } from './natsServer';

jest.setTimeout(60_000);

natsServerTool.describe('CopilotFleet.status$', () => {
  let nats: NatsServer;
  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(() => nats?.dispose());

  it('follows the connection through a broker restart to its close', async () => {
    const fleet = await CopilotFleet.connect({ nats: { connect: { servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 } } });
    const seen = lastValueFrom(fleet.status$.pipe(toArray()));
    await waitFor(fleet.status$, (s) => s.state === 'connected' && s.server === `127.0.0.1:${nats.port}`, 'connected');
    await nats.restart();
    await waitFor(fleet.status$, (s) => s.state === 'connected' && s.error === undefined, 'connected again after the restart');
    await fleet.close();
    const states: FleetConnectionStatus[] = await seen;
    expect(states.map((s) => s.state).filter((state, i, all) => state !== all[i - 1])).toEqual(['connected', 'reconnecting', 'connected', 'closed']);
    expect(states.find((s) => s.state === 'reconnecting')?.error).toBe(`disconnected from 127.0.0.1:${nats.port}`);
  });
});
