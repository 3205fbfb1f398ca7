/**
 * Three hosts, two sessions each, one consumer: the fleet's streams are the hosts' own streams (same
 * event ids, same order), a late consumer replays them in full, and a replay from an event id gives
 * exactly the rest. Hosts are separate processes, each running its own fake agent process.
 */
import { lastValueFrom, scan, toArray, takeWhile, last } from 'rxjs';
import { CopilotFleet, type FleetEvent, type RemoteSession } from '@copilot-rx/fleet';
import { natsServerTool } from './natsServer';
import { startFleet, until, waitFor, type FleetFixture } from './fleetFixture';

jest.setTimeout(240_000);

/** Reads `from start` until `count` events arrived (bounded), grouped by host/session. */
async function readAll(fleet: CopilotFleet, count: number): Promise<Map<string, string[]>> {
  const events = await waitFor(
    fleet.events('start').pipe(scan((all: FleetEvent[], event) => [...all, event], [])),
    (all) => all.length >= count,
    `${count} events`,
  );
  const grouped = new Map<string, string[]>();
  for (const { host, sessionId, event } of events) grouped.set(`${host}/${sessionId}`, [...(grouped.get(`${host}/${sessionId}`) ?? []), event.id]);
  return grouped;
}

natsServerTool.describe('a fleet of three hosts with two sessions each', () => {
  let f: FleetFixture;
  let sessions: RemoteSession[];
  let local: Map<string, string[]>;
  let total: number;

  beforeAll(async () => {
    f = await startFleet(['alpha', 'beta', 'gamma']);
    sessions = [];
    for (const host of ['alpha', 'beta', 'gamma']) for (let i = 0; i < 2; i++) sessions.push(await f.fleet.createSession(host));
    // Every session runs two turns, all six at once.
    const lastIds = await Promise.all(
      sessions.map(async (session, n) => {
        await lastValueFrom(session.send(`Count session ${n} [[chunks 4]]`));
        return `${session.host}/${session.id}=${(await lastValueFrom(session.send(`And again ${n} [[chunks 3]]`))).id}`;
      }),
    );
    // What each host's own client saw (its journal), keyed like the fleet's view.
    local = await until(
      () => new Map<string, string[]>(f.hosts.flatMap((host) => [...host.journal()].map(([sessionId, ids]) => [`${host.name}/${sessionId}`, ids] as const))),
      // Every journal has its session's last idle: the host's file writes are asynchronous.
      (seen) => lastIds.every((entry) => seen.get(entry.split('=')[0]!)?.at(-1) === entry.split('=')[1]),
      'both turns of six sessions in the hosts’ journals',
    );
    total = [...local.values()].reduce((sum, ids) => sum + ids.length, 0);
  });

  afterAll(() => f?.dispose());

  it('shows one consumer all six streams, each with the event ids its host saw, in the same order', async () => {
    const remote = await readAll(f.fleet, total);
    expect(remote.size).toBe(6);
    expect(remote).toEqual(local);
    for (const ids of remote.values()) expect(ids.length).toBeGreaterThan(10);
  });

  it('lets a consumer that starts after the turns replay them in full', async () => {
    const late = await CopilotFleet.connect({ nats: { connect: { servers: f.nats.url } } });
    try {
      for (const session of sessions) {
        const ids = local.get(`${session.host}/${session.id}`)!;
        const replayed = await lastValueFrom(late.session(session.host, session.id).eventsFrom('start').pipe(takeWhile((_, i) => i < ids.length - 1, true), toArray()));
        expect(replayed.map((e) => e.id)).toEqual(ids);
      }
    } finally {
      await late.close();
    }
  });

  it('replays from an event id exactly the events after it', async () => {
    const session = sessions[3]!;
    const ids = local.get(`${session.host}/${session.id}`)!;
    const from = ids[6]!;
    const rest = await lastValueFrom(session.eventsFrom({ afterEventId: from }).pipe(takeWhile((_, i) => i < ids.length - 8, true), toArray()));
    expect(rest.map((e) => e.id)).toEqual(ids.slice(7));
  });

  it('says when the event id to replay from is not in the stream', async () => {
    await expect(lastValueFrom(sessions[0]!.eventsFrom({ afterEventId: '00000000-0000-4000-8000-000000000000' }))).rejects.toMatchObject({ code: 'FLEET_EVENT_NOT_FOUND' });
  });

  it('lists every host as up with its CLI version, and every session as idle', async () => {
    const hosts = await waitFor(f.fleet.hosts$, (list) => list.length === 3, 'three hosts');
    expect(hosts.map((h) => [h.host, h.up, h.sessions])).toEqual([['alpha', true, 2], ['beta', true, 2], ['gamma', true, 2]]);
    for (const h of hosts) expect(h.cliVersions.length).toBe(1);
    const list = await waitFor(f.fleet.sessions$, (all) => all.length === 6 && all.every((s) => s.state === 'idle'), 'six idle sessions');
    expect(new Set(list.map((s) => `${s.host}/${s.sessionId}`))).toEqual(new Set(local.keys()));
  });

  it('gives the live stream only what happens after the subscription', async () => {
    const session = sessions[0]!;
    const turn = await lastValueFrom(session.send('Once more [[chunks 2]]').pipe(toArray()));
    const host = f.hosts.find((h) => h.name === session.host)!;
    const lastLocal = await until(() => host.journal().get(session.id) ?? [], (ids) => ids.at(-1) === turn.at(-1)!.id, 'the turn in the journal');
    expect(turn.map((e) => e.id)).toEqual(lastLocal.slice(lastLocal.length - turn.length));
    expect(turn[0]!.type).toBe('user.message');
    expect(await lastValueFrom(session.send('x').pipe(last()))).toMatchObject({ type: 'session.idle' });
  });
});
