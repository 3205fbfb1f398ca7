/**
 * A session also held by another connection survives a cut of the client's link: the CLI runs the
 * turn on, and the client reconnects, resumes and backfills from its last position, so the turn's
 * subscriber sees every delta exactly once and the answer's exact text.
 */
import * as t from 'io-ts';
import { firstValueFrom, filter, toArray, lastValueFrom, tap } from 'rxjs';
import { defineTool, type CopilotRxClient, type SessionEvent } from '@copilot-rx/core';
import { startDurableRig, type DurableRig } from './durableRig';

jest.setTimeout(120_000);

let rig: DurableRig;
beforeAll(async () => {
  rig = await startDurableRig();
});
afterAll(async () => {
  await rig?.dispose();
});

/** A client tool whose handler (and the permission prompt before it) can cut the link mid-answer. */
function weatherTool(calls: string[], duringCall: () => Promise<void> = async () => undefined) {
  return defineTool({
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    args: t.type({ city: t.string }),
    handler: async ({ city }) => {
      calls.push(city);
      await duringCall();
      return `Sunny in ${city}, 21C`;
    },
  });
}

/** Cuts the link and resolves once the client is connected again. */
async function cutAndAwaitReconnect(client: CopilotRxClient): Promise<void> {
  const reconnected = firstValueFrom(client.state$.pipe(filter((state) => state.status === 'reconnecting')));
  rig.proxy.cut();
  await reconnected;
  await firstValueFrom(client.state$.pipe(filter((state) => state.status === 'connected')));
}

/** The deltas' text per message, in arrival order, and the final message's content. */
function summarize(events: readonly SessionEvent[]) {
  const deltas = events.filter((event) => event.type === 'assistant.message_delta');
  const ids = deltas.map((event) => event.id);
  const text = deltas.map((event) => (event.type === 'assistant.message_delta' ? event.data.deltaContent : '')).join('');
  const final = events.filter((event) => event.type === 'assistant.message').at(-1);
  return { deltas: deltas.length, distinct: new Set(ids).size, text, finalText: final?.type === 'assistant.message' ? final.data.content : undefined };
}

it('a cut in the middle of a 2,000-chunk answer: the turn completes with the exact text, no delta lost or doubled', async () => {
  const client = await rig.client();
  const states: string[] = [];
  client.state$.subscribe((state) => states.push(state.status));
  const session = await client.createSession(rig.sessionConfig());
  await rig.hold(session.id);
  let seen = 0;
  const events = await lastValueFrom(
    session.send('Stream a long answer. [[chunks 2000]] [[pace 1]]').pipe(
      tap((event) => {
        if (event.type === 'assistant.message_delta' && ++seen === 500) rig.proxy.cut();
      }),
      toArray(),
    ),
  );
  const summary = summarize(events);
  expect(states).toContain('reconnecting');
  expect(summary.deltas).toBe(2000);
  expect(summary.distinct).toBe(2000);
  expect(firstDifference(summary.text, summary.finalText)).toBe(-1);
  expect(events.at(-1)?.type).toBe('session.idle');
  expect(client.state.status).toBe('connected');
  await client.stop();
});

it('ten cuts in one turn: still every delta once and the exact text', async () => {
  const client = await rig.client();
  const linksBefore = rig.proxy.linksAccepted;
  let cuts = 0;
  let nextCutAt = 100;
  const session = await client.createSession(rig.sessionConfig());
  await rig.hold(session.id);
  let seen = 0;
  const events = await lastValueFrom(
    // Paced so the answer outlasts ten reconnects on a loaded machine: a backfill can deliver
    // hundreds of missed deltas at once, and at a faster pace the answer ended before the tenth cut.
    session.send('Stream a long answer. [[chunks 2000]] [[pace 5]]').pipe(
      tap((event) => {
        if (event.type !== 'assistant.message_delta') return;
        // A cut can land while a backfill is being delivered: that reconnect then starts over.
        if (++seen >= nextCutAt && cuts < 10 && rig.proxy.linksOpen > 0) {
          cuts++;
          nextCutAt = seen + 20;
          rig.proxy.cut();
        }
      }),
      toArray(),
    ),
  );
  const summary = summarize(events);
  expect(cuts).toBe(10);
  expect(rig.proxy.linksAccepted - linksBefore).toBeGreaterThanOrEqual(10);
  expect(summary.deltas).toBe(2000);
  expect(summary.distinct).toBe(2000);
  expect(firstDifference(summary.text, summary.finalText)).toBe(-1);
  // The next turn on the same session streams as usual.
  const next = await firstValueFrom(session.send('Again. [[chunks 3]]').pipe(filter((event) => event.type === 'assistant.message'), toArray()));
  expect(next).toHaveLength(1);
  await client.stop();
});

/** Where two texts first differ (-1: equal), so a failure shows a position rather than 30 KB of text. */
function firstDifference(a: string, b: string | undefined): number {
  if (b === undefined) return 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

it('a cut while a permission prompt is pending: it is answered after the reconnect and the turn completes', async () => {
  const client = await rig.client();
  const calls: string[] = [];
  let prompts = 0;
  const config = rig.sessionConfig({
    tools: [weatherTool(calls)],
    onPermissionRequest: async () => {
      // The first prompt: the link breaks while the app decides; its answer goes on the new link.
      if (++prompts === 1) await cutAndAwaitReconnect(client);
      return { kind: 'approve-once' };
    },
  });
  const session = await client.createSession(config);
  await rig.hold(session.id);
  const events = await lastValueFrom(session.send('Weather? [[tool get_weather {"city":"Paris"}]]').pipe(toArray()));
  expect(calls).toEqual(['Paris']);
  const messages = events.filter((event) => event.type === 'assistant.message');
  expect(messages.at(-1)?.type === 'assistant.message' && messages.at(-1)?.data.content).toContain('Sunny in Paris, 21C');
  expect(events.at(-1)?.type).toBe('session.idle');
  await client.stop();
});

it('a cut while a client tool runs: its result is delivered after the reconnect and the turn completes', async () => {
  const client = await rig.client();
  const calls: string[] = [];
  const config = rig.sessionConfig({
    tools: [weatherTool(calls, () => cutAndAwaitReconnect(client))],
    onPermissionRequest: () => ({ kind: 'approve-once' }),
  });
  const session = await client.createSession(config);
  await rig.hold(session.id);
  const events = await lastValueFrom(session.send('Weather? [[tool get_weather {"city":"Oslo"}]]').pipe(toArray()));
  expect(calls).toEqual(['Oslo']);
  const complete = events.find((event) => event.type === 'tool.execution_complete');
  expect(complete?.type === 'tool.execution_complete' && complete.data.success).toBe(true);
  const messages = events.filter((event) => event.type === 'assistant.message');
  expect(messages.at(-1)?.type === 'assistant.message' && messages.at(-1)?.data.content).toContain('Sunny in Oslo, 21C');
  await client.stop();
});
