/**
 * Exactly once across retries: a host whose publisher loses every other ack (the broker stored the
 * batch, the host never heard) re-publishes the same batch under the same message id; the broker keeps
 * it once and the consumer sees every event once, in the host's order.
 */
import { lastValueFrom, scan } from 'rxjs';
import { CopilotRxClient, type SessionEvent } from '@copilot-rx/core';
import { CopilotFleet, FleetHost, FLEET_STREAM, type Publisher } from '@copilot-rx/fleet';
import { createCliSandbox, fakeAgentBinPath, type CliSandbox } from '@copilot-rx/testing';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { natsServerTool, startNatsServer, type NatsServer } from './natsServer';
import { waitFor } from './fleetFixture';

jest.setTimeout(240_000);

natsServerTool.describe('a publisher made to retry', () => {
  let nats: NatsServer;
  let sandbox: CliSandbox;

  beforeAll(async () => {
    nats = await startNatsServer();
    sandbox = await createCliSandbox({ cliPath: fakeAgentBinPath });
  });
  afterAll(async () => {
    await sandbox?.dispose();
    await nats?.dispose();
  });

  it('produces no duplicates on the consumer side', async () => {
    const client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error' });
    let calls = 0;
    const dropEveryOtherAck = (publish: Publisher): Publisher => async (subject, payload, msgId) => {
      await publish(subject, payload, msgId);
      if (++calls % 2 === 1) throw new Error('ack dropped');
    };
    const host = new FleetHost({ host: 'flaky', nats: { connect: { servers: nats.url } }, clients: [client], publisher: dropEveryOtherAck, outbox: { retryDelayMs: 5 } });
    const fleet = await CopilotFleet.connect({ nats: { connect: { servers: nats.url } } });
    try {
      await host.start();
      const local: SessionEvent[] = [];
      const session = await client.createSession({});
      const localSub = session.events$.subscribe((event) => local.push(event));
      host.adopt(session, client);
      await lastValueFrom(session.send('Many retries [[chunks 30]]'));
      await lastValueFrom(session.send('And more [[chunks 10]]'));
      localSub.unsubscribe();
      const remote = await waitFor(
        fleet.session('flaky', session.id).eventsFrom('start').pipe(scan((all: string[], e) => [...all, e.id], [])),
        (all) => all.length >= local.length,
        'every local event in the fleet',
      );
      expect(host.outboxStats.retries).toBeGreaterThan(0);
      expect(remote).toEqual(local.map((e) => e.id));
      expect(new Set(remote).size).toBe(remote.length);
      // The broker itself kept each acknowledged message once (stop drains what still waits).
      await host.stop();
      const nc = await connect({ servers: nats.url });
      const info = await (await jetstreamManager(nc)).streams.info(FLEET_STREAM);
      await nc.close();
      expect(info.state.messages).toBe(host.outboxStats.batches);
      expect(calls).toBeGreaterThan(host.outboxStats.batches);
    } finally {
      await fleet.close();
      await host.stop();
      await client.stop();
    }
  });
});
