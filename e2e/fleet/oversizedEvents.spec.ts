/**
 * One event too large for the broker must not stall its session: against a real nats-server, such an
 * event is not published but left as a typed gap (an `events.dropped` record naming it), reported on
 * the host's problems$, and the session's later events are published as usual. Three ways to be too
 * large: over the host's own limit (by default the stream's max message size, measured in UTF-8
 * bytes: 400,000 euro signs are 1.2 MB), refused by the client against the server's max_payload, and
 * refused by JetStream past a stream limit lower than the host's (which also splits a refused batch).
 */
import { lastValueFrom, map, scan, type Subscription } from 'rxjs';
import { CopilotRxClient, type RxSession, type SessionEvent } from '@copilot-rx/core';
import { CopilotFleet, FleetHost, FleetMessageTooLargeError, FLEET_STREAM, sessionSubject, type FleetHostOptions, type FleetHostProblem, type Publisher } from '@copilot-rx/fleet';
import { createCliSandbox, fakeAgentBinPath, type CliSandbox } from '@copilot-rx/testing';
import { connect } from '@nats-io/transport-node';
import { jetstream, JetStreamApiError } from '@nats-io/jetstream';
import { natsServerTool, startNatsServer, type NatsServer } from './natsServer';
import { waitFor } from './fleetFixture';

jest.setTimeout(240_000);

const MiB = 1024 ** 2;

natsServerTool.describe('an event too large for the broker', () => {
  let nats: NatsServer;
  let sandbox: CliSandbox;
  let fleet: CopilotFleet;
  const running: { host: FleetHost; client: CopilotRxClient; problems: Subscription }[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    sandbox = await createCliSandbox({ cliPath: fakeAgentBinPath });
    fleet = await CopilotFleet.connect({ nats: { connect: { servers: nats.url } } });
  });
  afterAll(async () => {
    await fleet?.close();
    for (const { host, client, problems } of running) {
      await host.stop();
      problems.unsubscribe();
      await client.stop();
    }
    await sandbox?.dispose();
    await nats?.dispose();
  });

  async function startHost(name: string, options: Partial<FleetHostOptions> = {}) {
    const client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error' });
    const host = new FleetHost({ host: name, nats: { connect: { servers: nats.url } }, clients: [client], ...options });
    const problems: FleetHostProblem[] = [];
    running.push({ host, client, problems: host.problems$.subscribe((problem) => problems.push(problem)) });
    await host.start();
    return { host, client, problems };
  }

  /** Runs the turns of a local session adopted by `host`, one after the other; resolves with every event the client saw. */
  async function localTurns(host: FleetHost, client: CopilotRxClient, ...prompts: string[]): Promise<{ session: RxSession; local: SessionEvent[] }> {
    const session = await client.createSession({});
    const local: SessionEvent[] = [];
    session.events$.subscribe((event) => local.push(event));
    host.adopt(session, client);
    for (const prompt of prompts) await lastValueFrom(session.send(prompt));
    return { session, local };
  }

  /** The session's event ids as the fleet rebuilds them, once the last local event is among them. */
  function remoteIds(host: string, sessionId: string, lastId: string): Promise<string[]> {
    return waitFor(
      fleet.session(host, sessionId).eventsFrom('start').pipe(scan((all: string[], event) => [...all, event.id], [])),
      (all) => all.includes(lastId),
      `the session's last event ${lastId} in the fleet`,
      30_000,
    );
  }

  /** The session's `events.dropped` records as stored. */
  async function gaps(host: string, sessionId: string): Promise<{ count: number; firstId: string; lastId: string }[]> {
    const nc = await connect({ servers: nats.url });
    try {
      const consumer = await jetstream(nc).consumers.get(FLEET_STREAM, { filter_subjects: sessionSubject(host, sessionId, 'lifecycle') });
      const records: { type: string; count: number; firstId: string; lastId: string }[] = [];
      for await (const message of await consumer.fetch({ max_messages: 100, expires: 2_000 })) {
        records.push(message.json());
        if (message.info.pending === 0) break;
      }
      return records.filter((record) => record.type === 'events.dropped');
    } finally {
      await nc.close();
    }
  }

  /** The gaps account for exactly the events left out: their count, and every id they name is one of them. */
  function expectGapsOf(found: readonly { count: number; firstId: string; lastId: string }[], left: readonly SessionEvent[]): void {
    expect(found.reduce((sum, gap) => sum + gap.count, 0)).toBe(left.length);
    expect(found[0]?.firstId).toBe(left[0]?.id);
    expect(found.at(-1)?.lastId).toBe(left.at(-1)?.id);
    for (const gap of found) expect(left.map((event) => event.id)).toEqual(expect.arrayContaining([gap.firstId, gap.lastId]));
  }

  const tooLargeReports = (problems: readonly FleetHostProblem[]) =>
    problems.filter((problem) => problem.where === 'publish' && problem.error instanceof FleetMessageTooLargeError).map((problem) => problem.error as FleetMessageTooLargeError);

  it('over the stream’s max message size in UTF-8 bytes (not characters): left as a gap, reported, and the session goes on', async () => {
    const { host, client, problems } = await startHost('utf8');
    // 400,000 characters (under 512 K) but 1.2 MB of UTF-8: the user.message event cannot be a message.
    const { session, local } = await localTurns(host, client, '€'.repeat(400_000), 'And after it [[chunks 5]]');
    const big = local.filter((event) => Buffer.byteLength(JSON.stringify(event)) > MiB);
    // The user.message, and the session's title taken from the prompt.
    expect(big.map((event) => event.type)).toContain('user.message');
    const remote = await remoteIds('utf8', session.id, local.at(-1)!.id);
    expect(remote).toEqual(local.filter((event) => !big.includes(event)).map((event) => event.id));
    expectGapsOf(await gaps('utf8', session.id), big);
    await waitFor(fleet.sessions$.pipe(map((all) => all.find((s) => s.sessionId === session.id))), (s) => s?.droppedEvents === big.length, 'the gap on sessions$');
    const reports = tooLargeReports(problems);
    expect(reports.map((error) => error.eventId)).toEqual(big.map((event) => event.id));
    // The limit is the stream's max message size (and the server's max_payload): 1 MiB by default.
    expect(reports[0]).toMatchObject({ sessionId: session.id, limitBytes: MiB, refusedBy: 'outbox' });
    expect(reports[0]!.bytes).toBeGreaterThan(1_200_000);
    expect(reports[0]!.message).toContain(session.id);
    expect(host.outboxStats).toMatchObject({ pending: 0, dropped: big.length });
  });

  it('refused by the client against the server’s max_payload (the host told a larger limit): left as a gap, and the session goes on', async () => {
    const { host, client, problems } = await startHost('payload', { outbox: { maxMessageBytes: 4 * MiB, retryDelayMs: 20 } });
    const { session, local } = await localTurns(host, client, 'x'.repeat(2 * MiB), 'And after it [[chunks 5]]');
    const big = local.filter((event) => Buffer.byteLength(JSON.stringify(event)) > MiB);
    // The user.message, and the session's title taken from the prompt.
    expect(big.map((event) => event.type)).toContain('user.message');
    const remote = await remoteIds('payload', session.id, local.at(-1)!.id);
    expect(remote).toEqual(local.filter((event) => !big.includes(event)).map((event) => event.id));
    expectGapsOf(await gaps('payload', session.id), big);
    const reports = tooLargeReports(problems);
    expect(reports.map((error) => error.eventId)).toEqual(big.map((event) => event.id));
    expect(reports[0]).toMatchObject({ sessionId: session.id, refusedBy: 'broker' });
    expect(reports[0]!.message).toMatch(/max_payload/);
  });

  it('refused by JetStream past a stream limit below the host’s: a refused batch goes out in halves, a refused event is left as a gap', async () => {
    // The first publish of the session's events waits until the turn is over, so the rest of the turn
    // queues behind it and goes out as one batch: far over the stream's 16 KiB.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = true;
    const holdFirstEvents = (publish: Publisher): Publisher => async (subject, payload, msgId) => {
      if (holding && subject.endsWith('.event')) {
        holding = false;
        await held;
      }
      return publish(subject, payload, msgId);
    };
    const { host, client, problems } = await startHost('stream', { streamLimits: { maxMsgSize: 16 * 1024 }, outbox: { maxMessageBytes: MiB, retryDelayMs: 20 }, publisher: holdFirstEvents });
    // A 20 KB user.message alone is over the stream's limit; 300 deltas together are too.
    const { session, local } = await localTurns(host, client, 'A first turn [[chunks 3]]', 'y'.repeat(20_000), 'Many small deltas [[chunks 300]]');
    release();
    const big = local.filter((event) => Buffer.byteLength(JSON.stringify(event)) > 16 * 1024);
    // The user.message, and the session's title taken from the prompt.
    expect(big.map((event) => event.type)).toContain('user.message');
    const remote = await remoteIds('stream', session.id, local.at(-1)!.id);
    expect(remote).toEqual(local.filter((event) => !big.includes(event)).map((event) => event.id));
    expectGapsOf(await gaps('stream', session.id), big);
    expect(tooLargeReports(problems)).toEqual(big.map((event) => expect.objectContaining({ sessionId: session.id, eventId: event.id, refusedBy: 'broker' })));
    // The batches JetStream refused were reported as they were split, with JetStream's own error.
    const refusals = problems.filter((problem) => problem.error instanceof JetStreamApiError).map((problem) => (problem.error as JetStreamApiError).code);
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals)).toEqual(new Set([10054]));
    expect(host.outboxStats).toMatchObject({ pending: 0, dropped: big.length });
  });
  it('takes its limit from the stream’s max message size by default, so it does not publish what the broker would refuse', async () => {
    const { host, client, problems } = await startHost('derived', { streamLimits: { maxMsgSize: 32 * 1024 } });
    const { session, local } = await localTurns(host, client, 'z'.repeat(40_000), 'And after it [[chunks 3]]');
    const big = local.filter((event) => Buffer.byteLength(JSON.stringify(event)) > 32 * 1024);
    expect(big.map((event) => event.type)).toContain('user.message');
    const remote = await remoteIds('derived', session.id, local.at(-1)!.id);
    expect(remote).toEqual(local.filter((event) => !big.includes(event)).map((event) => event.id));
    // Left out by the host itself, against the stream's 32 KiB: never sent for the broker to refuse.
    expect(tooLargeReports(problems)).toEqual(big.map((event) => expect.objectContaining({ eventId: event.id, limitBytes: 32 * 1024, refusedBy: 'outbox' })));
    expect(problems.filter((problem) => problem.error instanceof JetStreamApiError)).toEqual([]);
  });
});
