/**
 * A remote turn always ends: with its idle, or with a typed error when the end cannot come. Hosts are
 * `copilot-rx-host` processes with the fake agent as their CLI; the consumer reaches them only through
 * the real nats-server.
 */
import { firstValueFrom, lastValueFrom, tap, throwError, timeout, type Observable } from 'rxjs';
import { SessionError, TurnSilenceError } from '@copilot-rx/core';
import { FLEET_STREAM, FleetHostDownError, FleetTurnFailedError, sessionSubject } from '@copilot-rx/fleet';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { startFleet, waitFor, type FleetFixture } from './fleetFixture';
import { natsServerTool } from './natsServer';

jest.setTimeout(180_000);

const HEALTH_TTL_MS = 1_500;

/** The test's own bound on a turn that would otherwise hang: 60 s without an event. */
const endsInTime = <T>() => timeout<T, Observable<never>>({ each: 60_000, with: () => throwError(() => new Error('the remote turn went 60 s without an event and without an end')) });

/** A session's lifecycle records as stored, in order. */
async function lifecycleTypes(url: string, host: string, sessionId: string): Promise<string[]> {
  const nc = await connect({ servers: url });
  try {
    const consumer = await jetstream(nc).consumers.get(FLEET_STREAM, { filter_subjects: sessionSubject(host, sessionId, 'lifecycle') });
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

natsServerTool.describe('how a remote turn ends', () => {
  let f: FleetFixture;

  beforeAll(async () => {
    f = await startFleet([], { host: { healthTtlMs: HEALTH_TTL_MS } });
  });
  afterAll(() => f?.dispose());

  it('fails with FleetHostDownError when its host is killed mid-turn, once the host is seen down', async () => {
    const doomed = await f.addHost('doomed');
    const session = await f.fleet.createSession('doomed');
    let firstDelta: () => void = () => undefined;
    const deltaSeen = new Promise<void>((resolve) => (firstDelta = resolve));
    // [[hang]]: one delta, then nothing until aborted; only the host's death can end it here.
    const outcome = lastValueFrom(
      session.send('Hang on [[hang]]').pipe(
        tap((event) => event.type === 'assistant.message_delta' && firstDelta()),
        endsInTime(),
      ),
    ).catch((error: unknown) => error);
    await deltaSeen;
    const abortFailure = firstValueFrom(f.fleet.controlFailures$.pipe(timeout(30_000)));
    await doomed.kill();
    const error = await outcome;
    expect(error).toBeInstanceOf(FleetHostDownError);
    expect(error).toMatchObject({ host: 'doomed', sessionId: session.id, downReason: 'expired' });
    // The abort it sent in case the host came back found nobody serving it.
    expect(await abortFailure).toMatchObject({ reason: 'NO_RESPONDERS' });
  });

  it("fails with FleetTurnFailedError carrying the host's code when the host's CLI dies under the turn", async () => {
    await f.addHost('crashy');
    const session = await f.fleet.createSession('crashy');
    // [[crash]]: the agent process dies after two deltas; no idle can come from it any more.
    const error = await lastValueFrom(
      session.send('Fall over [[crash]]').pipe(endsInTime()),
    ).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(FleetTurnFailedError);
    expect(error).toMatchObject({ host: 'crashy', sessionId: session.id, reason: 'CONNECTION_CLOSED' });
    expect((error as FleetTurnFailedError).detail).toContain('the CLI exited');
  });

  it("fails with core's SessionError on the agent's own error, and the host publishes no turn.failed that could race it", async () => {
    await f.addHost('erring');
    const session = await f.fleet.createSession('erring');
    const error = await lastValueFrom(session.send('Break [[http 400]]').pipe(endsInTime())).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toMatchObject({ sessionId: session.id, statusCode: 400 });
    // The session.error event already ends the consumer's turn; a turn.failed record, read through the
    // lifecycle's own consumer, could come first and fail it with FleetTurnFailedError instead.
    const next = await lastValueFrom(session.send('Still here [[chunks 1]]').pipe(endsInTime()));
    expect(next.type).toBe('session.idle');
    expect(await lifecycleTypes(f.nats.url, 'erring', session.id)).not.toContain('turn.failed');
  });

  it('fails with TurnSilenceError after silenceTimeoutMs without an event, and aborts the turn on the host', async () => {
    await f.addHost('quiet');
    const session = await f.fleet.createSession('quiet');
    const error = await lastValueFrom(
      session.send({ prompt: 'Then silence [[hang]]', silenceTimeoutMs: 1_500 }).pipe(endsInTime()),
    ).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(TurnSilenceError);
    expect(error).toMatchObject({ sessionId: session.id, silenceMs: 1_500 });
    // [[hang]] emits nothing more until aborted; the agent's `abort` event says the abort reached it.
    const aborted = await waitFor(session.eventsFrom('start'), (event) => event.type === 'abort', "the host's turn aborted", 30_000);
    expect(aborted.data).toMatchObject({ reason: 'user_initiated' });
  });
});
