/**
 * History across restarts: a new CLI started on the same state directory gives a resumed session its
 * persisted history (`replay: 'all'`), and a consumer that restarts continues after the last event id
 * it stored (`replay: { afterEventId }`), seeing exactly the events after it. Replayed events are
 * marked (`isReplayed`) without changing their shape.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { isReplayed, type SessionEvent } from '@copilot-rx/core';
import { startDurableRig, type DurableRig } from './durableRig';

jest.setTimeout(120_000);

let rig: DurableRig;
beforeAll(async () => {
  rig = await startDurableRig();
});
afterAll(async () => {
  await rig?.dispose();
});

it('a CLI restarted on the same state directory: replay "all" gives the persisted history, then a new turn streams', async () => {
  const first = await rig.client({ reconnect: undefined });
  const session = await first.createSession(rig.sessionConfig());
  const turn1 = await lastValueFrom(session.send('First turn. [[chunks 5]]').pipe(toArray()));
  const answer1 = turn1.find((event) => event.type === 'assistant.message');
  await first.stop();

  await rig.restartServer();
  const second = await rig.client({ reconnect: undefined });
  const resumed = await second.resumeSession(session.id, { ...rig.sessionConfig(), replay: 'all' });
  const seen: SessionEvent[] = [];
  resumed.events$.subscribe((event) => seen.push(event));
  const history = seen.filter((event) => isReplayed(event));

  expect(history.map((event) => event.id)).toContain(answer1?.id);
  const replayedAnswer = history.find((event) => event.id === answer1?.id);
  expect(replayedAnswer).toEqual(answer1);
  expect(history[0]?.type).toBe('session.start');
  expect(new Set(seen.map((event) => event.id)).size).toBe(seen.length);

  const turn2 = await lastValueFrom(resumed.send('Second turn. [[chunks 4]]').pipe(toArray()));
  expect(turn2.filter((event) => event.type === 'assistant.message_delta')).toHaveLength(4);
  expect(turn2.some((event) => isReplayed(event))).toBe(false);
  expect(seen.filter((event) => event.type === 'assistant.message')).toHaveLength(2);
});

it('a consumer restart: replay { afterEventId } delivers exactly the events after the stored one', async () => {
  const first = await rig.client({ reconnect: undefined });
  const session = await first.createSession(rig.sessionConfig());
  const turn1 = await lastValueFrom(session.send('First. [[chunks 3]]').pipe(toArray()));
  // What the consumer stored: the last persisted event it processed.
  const stored = turn1.filter((event) => !event.ephemeral).at(-1)!;
  await lastValueFrom(session.send('Second, which the consumer missed. [[chunks 3]]').pipe(toArray()));
  await first.stop();

  const second = await rig.client({ reconnect: undefined });
  const resumed = await second.resumeSession(session.id, { ...rig.sessionConfig(), replay: { afterEventId: stored.id } });
  const seen: SessionEvent[] = [];
  resumed.events$.subscribe((event) => seen.push(event));
  const persisted = await resumed.getMessages();
  const at = persisted.findIndex((event) => event.id === stored.id);
  expect(at).toBeGreaterThan(0);
  const seenIds = new Set(seen.map((event) => event.id));
  // Nothing at or before the stored event; every persisted event after it.
  for (const event of persisted.slice(0, at + 1)) expect(seenIds.has(event.id)).toBe(false);
  for (const event of persisted.slice(at + 1)) expect(seenIds.has(event.id)).toBe(true);
  expect(seen.filter((event) => event.type === 'assistant.message')).toHaveLength(1);
});
