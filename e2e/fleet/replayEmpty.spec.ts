/**
 * A replay `{ afterEventId }` whose filter matches nothing stored: no message will ever arrive to say
 * the event is missing, so the broker's count of what the new consumer has to deliver decides, and the
 * read fails with FleetEventNotFoundError at once instead of waiting for a message that never comes.
 */
import { firstValueFrom, timeout } from 'rxjs';
import { CopilotFleet, ensureFleetStream, FleetEventNotFoundError } from '@copilot-rx/fleet';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { natsServerTool, startNatsServer, type NatsServer } from './natsServer';

jest.setTimeout(60_000);

/** Far longer than a consumer takes to be created here; without the check the read would still be waiting. */
const BOUND_MS = 10_000;

natsServerTool.describe('a replay from an event id where nothing is stored', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let fleet: CopilotFleet;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    await ensureFleetStream(await jetstreamManager(nc));
    fleet = await CopilotFleet.connect({ nats: { connection: nc } });
  });
  afterAll(async () => {
    await fleet?.close();
    await nc?.close();
    await nats?.dispose();
  });

  const replay = (host: string, sessionId: string) =>
    firstValueFrom(fleet.session(host, sessionId).eventsFrom({ afterEventId: 'e-1' }).pipe(timeout(BOUND_MS))).catch((error: unknown) => error);

  it('fails at once on an empty stream', async () => {
    const error = await replay('h', 's');
    expect(error).toBeInstanceOf(FleetEventNotFoundError);
    expect(error).toMatchObject({ eventId: 'e-1', subject: 'copilot.h.s.event' });
  });

  it('fails at once when the stream holds only other sessions', async () => {
    await jetstream(nc).publish('copilot.h.other.event', JSON.stringify({ v: 1, events: [] }));
    await jetstream(nc).publish('copilot.h.s.lifecycle', JSON.stringify({ type: 'session.created', at: 0 }));
    expect(await replay('h', 's')).toBeInstanceOf(FleetEventNotFoundError);
  });
});
