/**
 * A consumer's `*` filter matches any token, so a publisher allowed on the stream can name a session
 * (or host) that no subject of the scheme takes, like `we!rd`. Such a message must not reach
 * `sessions$` or `events()` (a dashboard would call `fleet.session(host, id)` with it and get
 * InvalidSubjectTokenError inside its subscriber); it is reported on `decodeErrors$` and the reads go on.
 */
import { firstValueFrom, lastValueFrom, take, timeout, toArray } from 'rxjs';
import { CopilotFleet, ensureFleetStream, type FleetDecodeError } from '@copilot-rx/fleet';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { natsServerTool, startNatsServer, type NatsServer } from './natsServer';
import { waitFor } from './fleetFixture';

jest.setTimeout(60_000);

const event = (id: string, type = 'user.message', data: object = { content: 'hi' }) => ({ id, timestamp: '2026-12-01T12:00:00.000Z', parentId: null, type, data });

natsServerTool.describe('a host or session id outside the subject scheme', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let fleet: CopilotFleet;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    await ensureFleetStream(await jetstreamManager(nc));
    const js = jetstream(nc);
    await js.publish('copilot.h.we!rd.lifecycle', JSON.stringify({ type: 'session.created', at: 1 }));
    await js.publish('copilot.h.we!rd.event', JSON.stringify({ v: 1, events: [event('00000000-0000-4000-8000-000000000001')] }));
    await js.publish('copilot.h.ok.lifecycle', JSON.stringify({ type: 'session.created', at: 2 }));
    await js.publish('copilot.h.ok.event', JSON.stringify({ v: 1, events: [event('00000000-0000-4000-8000-000000000002')] }));
    fleet = await CopilotFleet.connect({ nats: { connection: nc } });
  });
  afterAll(async () => {
    await fleet?.close();
    await nc?.close();
    await nats?.dispose();
  });

  it('is left out of sessions$ and reported on decodeErrors$ naming its subject', async () => {
    const reported = firstValueFrom(fleet.decodeErrors$.pipe(timeout(10_000)));
    const sessions = await waitFor(fleet.sessions$, (all) => all.length > 0, 'the valid session');
    expect(sessions.map((s) => s.sessionId)).toEqual(['ok']);
    // Every id listed is one the fleet takes.
    expect(() => sessions.map((s) => fleet.session(s.host, s.sessionId))).not.toThrow();
    const error: FleetDecodeError = await reported;
    expect(error).toMatchObject({ code: 'FLEET_DECODE_FAILED', subject: 'copilot.h.we!rd.lifecycle' });
    expect(error.message).toContain('one token of [A-Za-z0-9_-]');
  });

  it('is left out of events() and reported, and the read goes on', async () => {
    const reported = lastValueFrom(fleet.decodeErrors$.pipe(take(1), timeout(10_000)));
    const events = await firstValueFrom(fleet.events('start').pipe(take(1), toArray(), timeout(10_000)));
    expect(events.map(({ sessionId, event: { id } }) => [sessionId, id])).toEqual([['ok', '00000000-0000-4000-8000-000000000002']]);
    expect(await reported).toMatchObject({ subject: 'copilot.h.we!rd.event' });
  });
});
