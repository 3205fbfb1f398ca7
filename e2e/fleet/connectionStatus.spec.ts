/**
 * CopilotFleet.status$ on a real broker: connected to the server, reconnecting while the broker
 * restarts, connected again once it is back, closed (and complete) when the fleet closes; on the
 * app's own connection, complete at the fleet's close while that connection stays open.
 */
import { lastValueFrom, timeout, toArray } from 'rxjs';
import { connect } from '@nats-io/transport-node';
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
    // Reconnecting first: 'connected' is also where status$ stands before the client saw the disconnect.
    const reconnecting = waitFor(fleet.status$, (s) => s.state === 'reconnecting', 'reconnecting while the broker restarts');
    await nats.restart();
    await reconnecting;
    await waitFor(fleet.status$, (s) => s.state === 'connected' && s.error === undefined, 'connected again after the restart');
    await fleet.close();
    const states: FleetConnectionStatus[] = await seen;
    expect(states.map((s) => s.state).filter((state, i, all) => state !== all[i - 1])).toEqual(['connected', 'reconnecting', 'connected', 'closed']);
    expect(states.find((s) => s.state === 'reconnecting')?.error).toBe(`disconnected from 127.0.0.1:${nats.port}`);
  });

  it("completes at the fleet's close on the app's own connection, which stays open", async () => {
    const nc = await connect({ servers: nats.url });
    try {
      const fleet = await CopilotFleet.connect({ nats: { connection: nc } });
      const seen = lastValueFrom(fleet.status$.pipe(toArray(), timeout({ first: 10_000, with: () => Promise.reject(new Error('status$ did not complete within 10 s of close()')) })));
      await fleet.close();
      const states: FleetConnectionStatus[] = await seen;
      expect(states.map((s) => s.state)).toEqual(['connected']);
      expect(nc.isClosed()).toBe(false);
    } finally {
      await nc.close();
    }
  });
});
