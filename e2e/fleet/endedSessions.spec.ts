/**
 * A long-running host keeps nothing of a session that ended: whether a consumer destroyed it remotely
 * (even when the CLI refused the destroy) or the process that adopted it destroyed it locally (its
 * RxSession ends), the host publishes `session.destroyed` exactly once, after the session's last
 * event, and its outbox lane goes once that is acknowledged.
 */
import { lastValueFrom, firstValueFrom, filter, interval, map, timeout } from 'rxjs';
import { CopilotRxClient, type RxSession } from '@copilot-rx/core';
import { CopilotFleet, FleetHost, FLEET_STREAM, sessionSubject } from '@copilot-rx/fleet';
import { createCliSandbox, fakeAgentBinPath, type CliSandbox } from '@copilot-rx/testing';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { natsServerTool, startNatsServer, type NatsServer } from './natsServer';
import { waitFor } from './fleetFixture';

jest.setTimeout(240_000);

natsServerTool.describe('a session that ended', () => {
  let nats: NatsServer;
  let sandbox: CliSandbox;
  let client: CopilotRxClient;
  let host: FleetHost;
  let fleet: CopilotFleet;

  beforeAll(async () => {
    nats = await startNatsServer();
    sandbox = await createCliSandbox({ cliPath: fakeAgentBinPath });
    client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error' });
    host = new FleetHost({ host: 'ends', nats: { connect: { servers: nats.url } }, clients: [client] });
    await host.start();
    fleet = await CopilotFleet.connect({ nats: { connect: { servers: nats.url } } });
  });
  afterAll(async () => {
    await fleet?.close();
    await host?.stop();
    await client?.stop();
    await sandbox?.dispose();
    await nats?.dispose();
  });

  /** The session's lifecycle records as stored, in order. */
  async function lifecycle(sessionId: string): Promise<string[]> {
    const nc = await connect({ servers: nats.url });
    try {
      const consumer = await jetstream(nc).consumers.get(FLEET_STREAM, { filter_subjects: sessionSubject('ends', sessionId, 'lifecycle') });
      const types: string[] = [];
      for await (const message of await consumer.fetch({ max_messages: 100, expires: 2_000 })) {
        types.push((message.json() as { type: string }).type);
        if (message.info.pending === 0) break;
      }
      return types;
    } finally {
      await nc.close();
    }
  }

  const noLanesLeft = () => firstValueFrom(interval(20).pipe(map(() => host.outboxStats.lanes), filter((lanes) => lanes === 0), timeout({ first: 10_000 })));

  it('destroyed remotely: one session.destroyed, last, and the lane goes', async () => {
    const session = await fleet.createSession('ends');
    await lastValueFrom(session.send('Before the end [[chunks 3]]'));
    await session.destroy();
    await waitFor(fleet.sessions$, (all) => all.some((s) => s.sessionId === session.id && s.state === 'destroyed'), 'the destroyed session');
    await noLanesLeft();
    const records = await lifecycle(session.id);
    expect(records.filter((type) => type === 'session.destroyed')).toHaveLength(1);
    expect(records[0]).toBe('session.created');
    expect(records.at(-1)).toBe('session.destroyed');
  });

  it('destroyed locally by the process that adopted it: the same, when its RxSession ends', async () => {
    const session = await client.createSession({});
    host.adopt(session, client);
    await lastValueFrom(session.send('Local turn [[chunks 2]]'));
    await session.destroy();
    await waitFor(fleet.sessions$, (all) => all.some((s) => s.sessionId === session.id && s.state === 'destroyed'), 'the locally destroyed session');
    await noLanesLeft();
    const records = await lifecycle(session.id);
    expect(records.filter((type) => type === 'session.destroyed')).toHaveLength(1);
    expect(records.filter((type) => type === 'session.created')).toHaveLength(1);
    expect(records.at(-1)).toBe('session.destroyed');
  });

  it('destroyed remotely though its destroy failed: the host lets it go all the same, with its session.destroyed and its lane', async () => {
    const session = await client.createSession({});
    // The CLI refuses the destroy (its link broke, say): the same session otherwise.
    const refusing = { id: session.id, events$: session.events$, send: session.send.bind(session), abort: session.abort.bind(session), destroy: () => Promise.reject(new Error('the CLI refused the destroy')) };
    host.adopt(refusing as unknown as RxSession, client);
    await lastValueFrom(fleet.session('ends', session.id).send('Before the end [[chunks 1]]'));
    await expect(fleet.session('ends', session.id).destroy()).rejects.toMatchObject({ reason: 'CLI_ERROR', message: expect.stringContaining('the CLI refused the destroy') });
    await waitFor(fleet.sessions$, (all) => all.some((s) => s.sessionId === session.id && s.state === 'destroyed'), 'the session destroyed');
    await noLanesLeft();
    expect((await lifecycle(session.id)).at(-1)).toBe('session.destroyed');
    await expect(fleet.session('ends', session.id).abort()).rejects.toMatchObject({ reason: 'UNKNOWN_SESSION' });
    await session.destroy();
  });
});
