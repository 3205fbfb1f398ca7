/**
 * Who may do what is NATS's own subject permissions (the fleet's least-privilege roles): a watch-only
 * user sees hosts, sessions and events but is refused every control request and cannot touch the
 * stream; an operator drives sessions; a host publishes its own subjects only.
 */
import { lastValueFrom, scan, toArray } from 'rxjs';
import { CopilotFleet, FLEET_STREAM, hostPermissions, natsAuthorization, operatorPermissions, watcherPermissions } from '@copilot-rx/fleet';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { natsServerTool } from './natsServer';
import { startFleet, waitFor, type FleetFixture } from './fleetFixture';

jest.setTimeout(240_000);

const config = natsAuthorization([
  { user: 'host-guarded', password: 'host-secret', permissions: hostPermissions('guarded') },
  { user: 'operator', password: 'operator-secret', permissions: operatorPermissions() },
  { user: 'watcher', password: 'watcher-secret', permissions: watcherPermissions() },
]);

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
