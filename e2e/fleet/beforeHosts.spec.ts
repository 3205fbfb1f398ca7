/**
 * A dashboard started before its hosts: the stream and the hosts bucket do not exist yet, so the
 * broker answers "stream not found". The reads wait for them (hosts$ and sessions$ say "none yet" at
 * once) and proceed when the first host creates them; an error that is not that one still ends a read.
 * What must not wait for a host is bounded: a turn by sendTimeoutMs, a replay from an event id at once.
 */
import { firstValueFrom, lastValueFrom, scan, timeout, type Observable } from 'rxjs';
import { CopilotFleet, FleetEventNotFoundError, FleetTimeoutError, type FleetEvent } from '@copilot-rx/fleet';
import { natsServerTool } from './natsServer';
import { startFleet, waitFor, type FleetFixture } from './fleetFixture';

jest.setTimeout(240_000);

const config = `authorization {
  users = [
    { user: "admin", password: "admin-secret" }
    { user: "nobody", password: "nobody-secret", permissions: { publish: { allow: ["$JS.API.INFO"] }, subscribe: { allow: ["_INBOX.>"] } } }
  ]
}
`;

/** The first value, or a TimeoutError: the first lists must come at once, not after a host. */
const first = <T>(source$: Observable<T>) => firstValueFrom(source$.pipe(timeout(10_000)));

natsServerTool.describe('a consumer started before any host', () => {
  let f: FleetFixture;

  beforeAll(async () => {
    f = await startFleet([], { nats: { config }, consumer: { user: 'admin', pass: 'admin-secret' } });
  });
  afterAll(() => f?.dispose());

  // Before the next test starts a host: the stream must not exist yet.
  it('bounds what must not wait for a host: a turn by sendTimeoutMs, a replay from an event id not at all', async () => {
    const impatient = await CopilotFleet.connect({ nats: { connect: { servers: f.nats.url, user: 'admin', pass: 'admin-secret' } }, sendTimeoutMs: 1_000 });
    try {
      const session = impatient.session('nobody-yet', 's');
      // The turn's live read waits for the stream; the send would never go out and never time out.
      const turn = await lastValueFrom(session.send('Anyone?').pipe(timeout(15_000))).catch((error: unknown) => error);
      expect(turn).toBeInstanceOf(FleetTimeoutError);
      expect(turn).toMatchObject({ timeoutMs: 1_000, waitedFor: expect.stringContaining('COPILOT_FLEET') });
      // A stream that does not exist holds no event: the replay says so rather than wait.
      const replay = await firstValueFrom(session.eventsFrom({ afterEventId: 'e-1' }).pipe(timeout(10_000))).catch((error: unknown) => error);
      expect(replay).toBeInstanceOf(FleetEventNotFoundError);
      expect(replay).toMatchObject({ eventId: 'e-1', subject: 'copilot.nobody-yet.s.event' });
    } finally {
      await impatient.close();
    }
  });

  it('shows no hosts and no sessions at once, then the host, its session and its events once it starts', async () => {
    expect(await first(f.fleet.hosts$)).toEqual([]);
    expect(await first(f.fleet.sessions$)).toEqual([]);
    // Every read below starts before the stream and the bucket exist.
    const hostUp = waitFor(f.fleet.hosts$, (hosts) => hosts.some((h) => h.host === 'early' && h.up && h.sessions === 1), 'the host, up with its session', 180_000);
    const sessionSeen = waitFor(f.fleet.sessions$, (all) => all.some((s) => s.host === 'early'), 'its session', 180_000);
    const idleSeen = waitFor(
      f.fleet.events('start').pipe(scan((all: FleetEvent[], event) => [...all, event], [])),
      (all) => all.some(({ event }) => event.type === 'session.idle'),
      'the turn, replayed from the start',
      180_000,
    );

    await f.addHost('early', { env: { ...process.env, NATS_USER: 'admin', NATS_PASSWORD: 'admin-secret' } });
    const session = await f.fleet.createSession('early');
    const turn = await lastValueFrom(session.send('Early hello [[chunks 2]]'));
    expect(turn.type).toBe('session.idle');

    expect((await hostUp).find((h) => h.host === 'early')).toMatchObject({ up: true, sessions: 1 });
    expect((await sessionSeen).find((s) => s.host === 'early')).toMatchObject({ sessionId: session.id });
    const events = await idleSeen;
    expect(events.every((e) => e.host === 'early' && e.sessionId === session.id)).toBe(true);
    expect(events.at(-1)!.event.id).toBe(turn.id);
  });

  it('still ends a read, without waiting, when the broker refuses the user', async () => {
    const nobody = await CopilotFleet.connect({ nats: { connect: { servers: f.nats.url, user: 'nobody', pass: 'nobody-secret' } } });
    try {
      await expect(first(nobody.hosts$)).rejects.toThrow(/Permissions Violation/);
      await expect(first(nobody.events('start'))).rejects.toThrow(/Permissions Violation/);
    } finally {
      await nobody.close();
    }
  });
});
