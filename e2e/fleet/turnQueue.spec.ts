/**
 * A remote send is one of the host's own turns: it waits in the client's maxConcurrentTurns queue
 * behind local turns (turnQueue$ counts it), marks the session busy while it runs, and a remote send
 * that the consumer gave up on while it waited leaves that queue without sending anything. The host
 * runs in this process (its client's queue is visible here), its CLI is the fake agent's process, and
 * the consumer reaches it only through NATS.
 */
import { firstValueFrom, filter, lastValueFrom, timeout, toArray } from 'rxjs';
import { CopilotRxClient, type RxSession, type SessionEventNotification, type TurnQueueState } from '@copilot-rx/core';
import { CopilotFleet, FleetHost, FleetTimeoutError } from '@copilot-rx/fleet';
import { createCliSandbox, fakeAgentBinPath, type CliSandbox } from '@copilot-rx/testing';
import { natsServerTool, startNatsServer, type NatsServer } from './natsServer';
import { until } from './fleetFixture';

jest.setTimeout(120_000);

natsServerTool.describe("remote sends under the host's turn queue", () => {
  let nats: NatsServer;
  let sandbox: CliSandbox;
  let client: CopilotRxClient;
  let host: FleetHost;
  let fleet: CopilotFleet;
  let local: RxSession;
  const seen: SessionEventNotification[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    sandbox = await createCliSandbox({ cliPath: fakeAgentBinPath });
    client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error', maxConcurrentTurns: 1 });
    client.events$.subscribe((notification) => seen.push(notification));
    host = new FleetHost({ host: 'queue', nats: { connect: { servers: nats.url } }, clients: [client] });
    await host.start();
    local = await client.createSession({});
    host.adopt(local, client);
    fleet = await CopilotFleet.connect({ nats: { connect: { servers: nats.url } } });
  });
  afterAll(async () => {
    await fleet?.close();
    await host?.stop();
    await client?.stop();
    await sandbox?.dispose();
    await nats?.dispose();
  });

  const queueIs = (expected: Partial<TurnQueueState>, what: string) =>
    firstValueFrom(client.turnQueue$.pipe(filter((state) => Object.entries(expected).every(([key, value]) => state[key as keyof TurnQueueState] === value)), timeout({ first: 30_000, with: () => Promise.reject(new Error(`timed out waiting for ${what}`)) })));
  const userMessages = (sessionId: string) => seen.filter((n) => n.sessionId === sessionId && n.event.type === 'user.message').length;

  /** A local turn that runs until unsubscribed ([[hang]]: one delta, then nothing until aborted). */
  const holdTheSlot = async () => {
    const hold = local.send('Hold the slot [[hang]]').subscribe({ error: () => undefined });
    await queueIs({ running: 1, queued: 0 }, 'the local turn running');
    return hold;
  };

  it('waits behind a local turn, counted in turnQueue$, and runs once the slot frees', async () => {
    const hold = await holdTheSlot();
    const remote = await fleet.createSession('queue');
    const turn = lastValueFrom(remote.send('Queued hello [[chunks 2]]').pipe(toArray()));
    await queueIs({ running: 1, queued: 1 }, 'the remote send queued behind it');
    expect(userMessages(remote.id)).toBe(0);
    hold.unsubscribe();
    const events = await turn;
    expect(events.flatMap((e) => (e.type === 'assistant.message_delta' ? [e.data.deltaContent] : [])).join('')).toBe('Queued-1 hello-2');
    expect(events.at(-1)!.type).toBe('session.idle');
    await queueIs({ running: 0, queued: 0 }, 'the queue empty');
  });

  it('marks the session busy while a remote turn runs, as a local send does', async () => {
    const turn = lastValueFrom(fleet.session('queue', local.id).send('Remote on a local session [[hang]]').pipe(toArray())).catch((error: unknown) => error);
    await queueIs({ running: 1 }, 'the remote turn running');
    await until(() => local.busy, (busy) => busy, 'the session busy');
    await fleet.session('queue', local.id).abort();
    await turn;
    await until(() => local.busy, (busy) => !busy, 'the session idle again');
    await queueIs({ running: 0, queued: 0 }, 'the queue empty');
  });

  it("leaves the host's queue, having sent nothing, when the consumer stops waiting for it to start", async () => {
    const impatient = await CopilotFleet.connect({ nats: { connect: { servers: nats.url } }, sendTimeoutMs: 1_500 });
    try {
      const hold = await holdTheSlot();
      const remote = await fleet.createSession('queue');
      const failed = await lastValueFrom(impatient.session('queue', remote.id).send('Never starts [[chunks 2]]')).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(FleetTimeoutError);
      // The abort that followed the timeout took it out of the queue before the slot freed.
      await queueIs({ running: 1, queued: 0 }, 'the remote send gone from the queue');
      hold.unsubscribe();
      await queueIs({ running: 0, queued: 0 }, 'the queue empty');
      expect(userMessages(remote.id)).toBe(0);
    } finally {
      await impatient.close();
    }
  });
});
