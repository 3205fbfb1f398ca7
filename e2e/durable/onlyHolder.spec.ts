/**
 * When the client is a session's only holder, a cut makes the CLI shut the session down and stop
 * its turn: that turn fails with TurnInterruptedError (never a hang), the session is resumed, and the
 * next turn streams. A cut in the handshake is one more attempt; a server that never comes back ends
 * the client after the configured attempts with a typed error on every stream.
 */
import { filter, firstValueFrom, lastValueFrom, tap, timeout, toArray } from 'rxjs';
import { ConnectionClosedError, TurnInterruptedError, type ConnectionState } from '@copilot-rx/core';
import { startDurableRig, type DurableRig } from './durableRig';

jest.setTimeout(120_000);

let rig: DurableRig;
beforeAll(async () => {
  rig = await startDurableRig();
});
afterAll(async () => {
  await rig?.dispose();
});

it('a cut mid-turn fails the turn with TurnInterruptedError carrying what arrived; the next turn streams', async () => {
  const client = await rig.client();
  const session = await client.createSession(rig.sessionConfig());
  let deltas = 0;
  const failure = await lastValueFrom(
    session.send('Stream a long answer. [[chunks 2000]] [[pace 2]]').pipe(
      tap((event) => {
        if (event.type === 'assistant.message_delta' && ++deltas === 100) rig.proxy.cut();
      }),
      // A bound on the wait, not a speed check: the turn must end, whatever the reconnect does.
      timeout(60_000),
      toArray(),
    ),
  ).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(TurnInterruptedError);
  const received = (failure as TurnInterruptedError).received;
  expect(received.filter((event) => event.type === 'assistant.message_delta').length).toBeGreaterThanOrEqual(100);
  // The turn may fail while the reconnect still backfills: the session is usable once connected.
  await firstValueFrom(client.state$.pipe(filter((state) => state.status === 'connected')));
  const next = await lastValueFrom(session.send('Once more. [[chunks 4]]').pipe(toArray()));
  expect(next.filter((event) => event.type === 'assistant.message_delta')).toHaveLength(4);
  expect(next.at(-1)?.type).toBe('session.idle');
  await client.stop();
});

it('a cut during the reconnect handshake is one failed attempt; the next one reconnects', async () => {
  const client = await rig.client();
  const states: ConnectionState[] = [];
  client.state$.subscribe((state) => states.push(state));
  const session = await client.createSession(rig.sessionConfig());
  // The CLI persists a session with its first message: one it shut down before that cannot be resumed.
  await lastValueFrom(session.send('Before the cut. [[chunks 2]]').pipe(toArray()));
  rig.proxy.cutNextInHandshake(1);
  rig.proxy.cut();
  await firstValueFrom(client.state$.pipe(filter((state) => state.status === 'connected' && states.some((s) => s.status === 'reconnecting'))));
  const attempts = states.flatMap((state) => (state.status === 'reconnecting' ? [state.attempt] : []));
  expect(attempts).toEqual([1, 2]);
  const turn = await lastValueFrom(session.send('After the cut. [[chunks 3]]').pipe(toArray()));
  expect(turn.at(-1)?.type).toBe('session.idle');
  await client.stop();
});

it('a server that never comes back: the client gives up after its attempts and fails every stream with ConnectionClosedError', async () => {
  const client = await rig.client({ reconnect: { maxAttempts: 3, delayMs: (attempt) => attempt * 50 } });
  const session = await client.createSession(rig.sessionConfig());
  const events = lastValueFrom(session.events$.pipe(toArray())).catch((error: unknown) => error);
  const turn = lastValueFrom(session.send('Stream. [[chunks 2000]] [[pace 2]]').pipe(toArray())).catch((error: unknown) => error);
  await firstValueFrom(session.events$.pipe(filter((event) => event.type === 'assistant.message_delta')));
  rig.proxy.refuse();
  rig.proxy.cut();
  try {
    const [turnError, eventsError] = await Promise.all([turn, events]);
    expect(turnError).toBeInstanceOf(ConnectionClosedError);
    expect(eventsError).toBe(turnError);
    expect((turnError as Error).message).toContain('3 reconnect attempts failed');
    expect(client.state.status).toBe('closed');
    await expect(client.createSession(rig.sessionConfig())).rejects.toBe(turnError);
  } finally {
    rig.proxy.restore();
  }
});
