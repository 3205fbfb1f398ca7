/**
 * Who may do what is NATS's own subject permissions (the fleet's least-privilege roles): a watch-only
 * user sees hosts, sessions and events but is refused every control request and cannot touch the
 * stream; an operator drives sessions; a host publishes its own subjects only.
 */
import { firstValueFrom, lastValueFrom, scan, throwError, timeout, toArray } from 'rxjs';
import { CopilotFleet, FLEET_STREAM, FleetHostsWatchError, HOSTS_BUCKET, hostPermissions, natsAuthorization, operatorPermissions, watcherPermissions, type NatsPermissions } from '@copilot-rx/fleet';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { natsServerTool } from './natsServer';
import { startFleet, waitFor, type FleetFixture } from './fleetFixture';

jest.setTimeout(240_000);

const config = natsAuthorization([
  { user: 'host-guarded', password: 'host-secret', permissions: hostPermissions('guarded') },
  { user: 'operator', password: 'operator-secret', permissions: operatorPermissions() },
  { user: 'watcher', password: 'watcher-secret', permissions: watcherPermissions() },
  // May control sessions and read the stream, but not watch the hosts bucket.
  { user: 'blind', password: 'blind-secret', permissions: withoutHostsBucket(operatorPermissions()) },
  // Stands in for an administrator: writes many health records at once.
  { user: 'admin', password: 'admin-secret', permissions: { publish: { allow: ['>'] }, subscribe: { allow: ['>'] } } },
]);

function withoutHostsBucket(permissions: NatsPermissions): NatsPermissions {
  return { ...permissions, publish: { allow: permissions.publish.allow.filter((subject) => !subject.includes(`KV_${HOSTS_BUCKET}`)) } };
}

natsServerTool.describe('fleet authorization', () => {
  let f: FleetFixture;
  let operator: CopilotFleet;
  let watcher: CopilotFleet;

  beforeAll(async () => {
    f = await startFleet([], { nats: { config }, consumer: { user: 'operator', pass: 'operator-secret' } });
    await f.addHost('guarded', { env: { ...process.env, NATS_USER: 'host-guarded', NATS_PASSWORD: 'host-secret' } });
    const as = (user: string, pass: string) => CopilotFleet.connect({ nats: { connect: { servers: f.nats.url, user, pass } } });
    operator = await as('operator', 'operator-secret');
    watcher = await as('watcher', 'watcher-secret');
  });
  afterAll(async () => {
    await operator?.close();
    await watcher?.close();
    await f?.dispose();
  });

  it('lets an operator create and drive a session, and a watcher see it all', async () => {
    const session = await operator.createSession('guarded');
    const turn = await lastValueFrom(session.send('Guarded hello [[chunks 2]]').pipe(toArray()));
    expect(turn.at(-1)!.type).toBe('session.idle');
    const seen = await waitFor(watcher.session('guarded', session.id).eventsFrom('start').pipe(scan((n: number) => n + 1, 0)), (n) => n >= turn.length, 'the turn, seen by the watcher');
    expect(seen).toBeGreaterThanOrEqual(turn.length);
    await waitFor(watcher.hosts$, (hosts) => hosts.some((h) => h.host === 'guarded' && h.up), 'the host, seen by the watcher');
    await waitFor(watcher.sessions$, (all) => all.some((s) => s.sessionId === session.id), 'the session, seen by the watcher');
  });

  it('lets a user who may control but not watch the hosts bucket run turns, without host-down detection, reporting that once', async () => {
    const blind = await CopilotFleet.connect({ nats: { connect: { servers: f.nats.url, user: 'blind', pass: 'blind-secret' } } });
    try {
      const reports: unknown[] = [];
      blind.controlFailures$.subscribe((failure) => reports.push(failure));
      // Subscribed before the turns: the bucket's permission error may come after both have ended.
      const reported = firstValueFrom(blind.controlFailures$.pipe(timeout({ first: 15_000, with: () => throwError(() => new Error('no controlFailures$ report within 15 s')) })));
      const session = await blind.createSession('guarded');
      for (const prompt of ['Blind hello [[chunks 2]]', 'Blind again [[chunks 1]]']) {
        const turn = await lastValueFrom(session.send(prompt).pipe(toArray()));
        expect(turn.at(-1)!.type).toBe('session.idle');
      }
      await reported;
      expect(reports).toEqual([expect.any(FleetHostsWatchError)]);
      expect(reports[0]).toMatchObject({ code: 'FLEET_HOSTS_WATCH_FAILED', message: expect.stringContaining('Permissions Violation') });
    } finally {
      await blind.close();
    }
  });

  it('refuses every control request of a watch-only user', async () => {
    await expect(watcher.createSession('guarded')).rejects.toMatchObject({ reason: 'PERMISSION_DENIED' });
    const session = await operator.createSession('guarded');
    await expect(watcher.session('guarded', session.id).abort()).rejects.toMatchObject({ reason: 'PERMISSION_DENIED' });
    await expect(lastValueFrom(watcher.session('guarded', session.id).send('not yours'))).rejects.toMatchObject({ reason: 'PERMISSION_DENIED' });
  });

  it('does not let a watcher delete the stream', async () => {
    const nc = await connect({ servers: f.nats.url, user: 'watcher', pass: 'watcher-secret' });
    try {
      const jsm = await jetstreamManager(nc);
      await expect(jsm.streams.delete(FLEET_STREAM)).rejects.toThrow();
      expect((await jsm.streams.info(FLEET_STREAM)).config.name).toBe(FLEET_STREAM);
    } finally {
      await nc.close();
    }
  });

  it('does not let a watcher purge the stream or the bucket, create or change a stream, create a durable, or delete a consumer', async () => {
    const as = (user: string, pass: string) => connect({ servers: f.nats.url, user, pass });
    const nc = await as('watcher', 'watcher-secret');
    const operatorNc = await as('operator', 'operator-secret');
    try {
      const jsm = await jetstreamManager(nc);
      const before = (await jsm.streams.info(FLEET_STREAM)).state.messages;
      expect(before).toBeGreaterThan(0);
      const kvStream = `KV_${HOSTS_BUCKET}`;
      await expect(jsm.streams.purge(FLEET_STREAM)).rejects.toThrow(/Permissions Violation/);
      await expect(jsm.streams.delete(kvStream)).rejects.toThrow(/Permissions Violation/);
      await expect(jsm.streams.purge(kvStream)).rejects.toThrow(/Permissions Violation/);
      await expect(jsm.streams.update(FLEET_STREAM, { max_age: 1_000_000_000 })).rejects.toThrow(/Permissions Violation/);
      await expect(jsm.streams.add({ name: 'WATCHER_OWN', subjects: ['watcher.>'] })).rejects.toThrow(/Permissions Violation/);
      // A durable through the durable API, and through the named API as the client sends it.
      const durable = { stream_name: FLEET_STREAM, config: { durable_name: 'kept', ack_policy: AckPolicy.Explicit } };
      await expect(nc.request(`$JS.API.CONSUMER.DURABLE.CREATE.${FLEET_STREAM}.kept`, JSON.stringify(durable))).rejects.toThrow(/Permissions Violation/);
      await expect(jsm.consumers.add(FLEET_STREAM, { durable_name: 'kept', ack_policy: AckPolicy.Explicit })).rejects.toThrow(/Permissions Violation/);
      // Another reader's consumer: the operator's ordered consumer, named so the test knows it.
      await jetstream(operatorNc).consumers.get(FLEET_STREAM, { name_prefix: 'operator_read', filter_subjects: 'copilot.*.*.event', deliver_policy: DeliverPolicy.All });
      await expect(jsm.consumers.delete(FLEET_STREAM, 'operator_read_1')).rejects.toThrow(/Permissions Violation/);
      expect((await (await jetstreamManager(operatorNc)).consumers.info(FLEET_STREAM, 'operator_read_1')).name).toBe('operator_read_1');
      expect((await jsm.streams.info(FLEET_STREAM)).state.messages).toBe(before);
    } finally {
      await nc.close();
      await operatorNc.close();
    }
  });

  it("keeps a watcher's hosts$ flowing past the broker's flow-control window", async () => {
    // ~3 MB of records: a push consumer stalls after ~2 MB unless its flow-control answers may go out.
    const count = 2_500;
    let admin: NatsConnection | undefined;
    try {
      admin = await connect({ servers: f.nats.url, user: 'admin', pass: 'admin-secret' });
      const kv = await new Kvm(admin).open(HOSTS_BUCKET);
      const record = (host: string) => JSON.stringify({ host, pid: 1, startedAt: 0, heartbeatAt: 0, ttlMs: 60_000, cliVersions: [], sessions: 0, outbox: { pending: 0, dropped: 0 }, note: 'x'.repeat(1_200) });
      for (let i = 0; i < count; i += 250) await Promise.all(Array.from({ length: 250 }, (_, j) => kv.put(`bulk-${i + j}`, record(`bulk-${i + j}`))));
      const hosts = await waitFor(watcher.hosts$, (list) => list.filter((h) => h.host.startsWith('bulk-')).length === count, `${count} hosts, seen by the watcher`, 60_000);
      expect(hosts.some((h) => h.host === 'guarded' && h.up)).toBe(true);
    } finally {
      await admin?.close();
    }
  });

  it("does not let a host publish on another host's subjects", async () => {
    const nc = await connect({ servers: f.nats.url, user: 'host-guarded', pass: 'host-secret' });
    try {
      const errors: unknown[] = [];
      void (async () => {
        for await (const status of nc.status()) if (status.type === 'error') errors.push(status);
      })();
      nc.publish('copilot.guarded.s.lifecycle', '{}'); // its own subject: allowed
      nc.publish('copilot.other.s.event', '{}');
      await nc.flush();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(errors).toEqual([{ type: 'error', error: expect.objectContaining({ name: 'PermissionViolationError', subject: 'copilot.other.s.event' }) }]);
    } finally {
      await nc.close();
    }
  });
});
