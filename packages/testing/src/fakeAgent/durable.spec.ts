/**
 * The fake agent behaves like CLI 1.0.102 around a lost link (e2e/durable proves the same on the real
 * CLI): a session whose only connection drops shuts down; one held elsewhere runs on; the event log
 * serves what a reconnecting client missed; `continuePendingWork` re-emits waiting permission prompts.
 * So copilot-rx's reconnect works against it end to end, and users can test theirs without the CLI.
 */
import { connect } from 'node:net';
import { filter, firstValueFrom, lastValueFrom, tap, toArray } from 'rxjs';
import { CopilotRxClient, RequestInterruptedError, TurnInterruptedError, isReplayed, tcpTransport, type BackfillGap, type SessionEvent } from '@copilot-rx/core';
import { startLinkProxy, type LinkProxy } from '../linkProxy/startLinkProxy';
import { FakeCopilotAgent } from './FakeCopilotAgent';
import { RpcTestClient } from './testSupport/RpcTestClient';

const token = 'durable-token';
let agent: FakeCopilotAgent;
let port: number;
let proxy: LinkProxy;
const clients: CopilotRxClient[] = [];

beforeEach(async () => {
  agent = new FakeCopilotAgent({ connectionToken: token });
  port = (await agent.listen()).port;
  proxy = await startLinkProxy({ targetPort: port });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
  await proxy.close();
  await agent.close();
});

async function start(through: 'proxy' | 'direct'): Promise<CopilotRxClient> {
  const target = through === 'proxy' ? proxy.port : port;
  const client = new CopilotRxClient({
    transport: () => tcpTransport({ port: target, connectionToken: token }),
    reconnect: { maxAttempts: 10, delayMs: 20 },
  });
  clients.push(client);
  await client.start();
  return client;
}

/** A bare connection that holds the session and answers none of the agent's prompts. */
async function silentHolder(sessionId: string): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const holder = new RpcTestClient(socket, socket);
  await holder.request('connect', { token });
  await holder.request('session.resume', { sessionId, streaming: true, requestPermission: true });
}

function deltaText(events: readonly SessionEvent[]): string {
  return events.map((event) => (event.type === 'assistant.message_delta' ? event.data.deltaContent : '')).join('');
}

it('held elsewhere: a cut mid-answer is backfilled from the event log, every delta once, the exact text', async () => {
  const client = await start('proxy');
  const holder = await start('direct');
  const session = await client.createSession({ streaming: true });
  await holder.resumeSession(session.id, { streaming: true });
  let deltas = 0;
  const events = await lastValueFrom(
    session.send('Long. [[chunks 300]] [[pace 1]]').pipe(
      tap((event) => {
        if (event.type === 'assistant.message_delta' && ++deltas === 100) proxy.cut();
      }),
      toArray(),
    ),
  );
  const ids = events.filter((event) => event.type === 'assistant.message_delta').map((event) => event.id);
  expect(ids).toHaveLength(300);
  expect(new Set(ids).size).toBe(300);
  const final = events.find((event) => event.type === 'assistant.message');
  expect(final?.type === 'assistant.message' && final.data.content).toBe(deltaText(events));
  expect(proxy.linksAccepted).toBe(2);
});

it('only holder: the session shuts down with the link, the turn fails with TurnInterruptedError, the next one streams', async () => {
  const client = await start('proxy');
  const session = await client.createSession({ streaming: true });
  let deltas = 0;
  const failure = await lastValueFrom(
    session.send('Long. [[chunks 300]] [[pace 1]]').pipe(
      tap((event) => {
        if (event.type === 'assistant.message_delta' && ++deltas === 50) proxy.cut();
      }),
    ),
  ).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(TurnInterruptedError);
  await firstValueFrom(client.state$.pipe(filter((state) => state.status === 'connected')));
  const persisted = await session.getMessages();
  expect(persisted.map((event) => event.type)).toContain('session.shutdown');
  const next = await lastValueFrom(session.send('Again. [[chunks 3]]').pipe(toArray()));
  expect(next.filter((event) => event.type === 'assistant.message_delta')).toHaveLength(3);
});

it('continuePendingWork re-emits a waiting permission prompt to the new attachment, which answers it', async () => {
  const client = await start('proxy');
  let prompts = 0;
  const session = await client.createSession({
    streaming: true,
    tools: [{ name: 'get_weather', handler: () => 'Sunny' }],
    onPermissionRequest: async () => {
      if (++prompts === 1) {
        // The link breaks before this answer can go out; it is sent on the new link.
        proxy.cut();
        await firstValueFrom(client.state$.pipe(filter((state) => state.status === 'reconnecting')));
      }
      return { kind: 'approve-once' };
    },
  });
  // A holder that answers nothing (a copilot-rx client would deny the prompt itself: first answer wins).
  await silentHolder(session.id);
  const events = await lastValueFrom(session.send('Weather? [[tool get_weather {"city":"Paris"}]]').pipe(toArray()));
  const requested = events.filter((event) => event.type === 'permission.requested');
  // The prompt, then the same request again for the new attachment (a new event, the same requestId).
  expect(requested).toHaveLength(2);
  const [first, again] = requested.map((event) => (event.type === 'permission.requested' ? event.data.requestId : undefined));
  expect(again).toBe(first);
  expect(requested[1]?.id).not.toBe(requested[0]?.id);
  expect(events.some((event) => event.type === 'tool.execution_complete' && event.data.success)).toBe(true);
  expect(events.at(-1)?.type).toBe('session.idle');
});

it('the event log: tail, read from a cursor, persisted-only reads, and an expired cursor falling back to the start', async () => {
  const client = await start('direct');
  const session = await client.createSession({ streaming: true });
  const { cursor: before } = await session.rpc.eventLog.tail();
  const turn = await lastValueFrom(session.send('Hi. [[chunks 4]]').pipe(toArray()));
  const after = await session.rpc.eventLog.read({ cursor: before, max: 1000, includeEphemeral: true });
  expect(after.cursorStatus).toBe('ok');
  expect(after.hasMore).toBe(false);
  expect(after.events.map((event) => event['id'])).toEqual(expect.arrayContaining(turn.map((event) => event.id)));
  const durable = await session.rpc.eventLog.read({ cursor: before, max: 1000, includeEphemeral: false });
  expect(durable.events.every((event) => event['ephemeral'] !== true)).toBe(true);
  const paged = await session.rpc.eventLog.read({ cursor: before, max: 2 });
  expect(paged.events).toHaveLength(2);
  expect(paged.hasMore).toBe(true);
  const expired = await session.rpc.eventLog.read({ cursor: 'no-such-event|7', max: 3 });
  expect(expired.cursorStatus).toBe('expired');
  expect(expired.events[0]?.['type']).toBe('session.start');
});

it('a request in flight when the link breaks fails with RequestInterruptedError; one made while reconnecting waits for the link', async () => {
  const client = await start('proxy');
  const holder = await start('direct');
  const session = await client.createSession({ streaming: true });
  await holder.resumeSession(session.id, { streaming: true });
  // Stalled, the request is written but cannot be answered: the cut catches it in flight.
  proxy.stall();
  const inFlight = session.abort().catch((error: unknown) => error);
  await new Promise((resolve) => setTimeout(resolve, 50));
  proxy.resume();
  proxy.cut();
  const failure = await inFlight;
  expect(failure).toBeInstanceOf(RequestInterruptedError);
  expect(failure).toMatchObject({ method: 'session.abort', mayHaveBeenApplied: true });
  await firstValueFrom(client.state$.pipe(filter((state) => state.status === 'reconnecting')));
  const later = session.abort();
  await expect(later).resolves.toBeUndefined();
  expect(client.state.status).toBe('connected');
});

it('replay: "all" gives the first subscriber the history, marked; an unknown afterEventId replays everything and reports the gap', async () => {
  const writer = await start('direct');
  const session = await writer.createSession({ streaming: true });
  const turn = await lastValueFrom(session.send('Hi. [[chunks 3]]').pipe(toArray()));
  await session.destroy();

  const reader = await start('direct');
  const gaps: BackfillGap[] = [];
  reader.backfillGaps$.subscribe((gap) => gaps.push(gap));
  const all = await reader.resumeSession(session.id, { streaming: true, replay: 'all' });
  const seen: SessionEvent[] = [];
  all.events$.subscribe((event) => seen.push(event));
  const history = seen.filter((event) => isReplayed(event));
  expect(history[0]?.type).toBe('session.start');
  const answer = turn.find((event) => event.type === 'assistant.message');
  expect(history.find((event) => event.id === answer?.id)).toEqual(answer);
  // A second subscriber starts from now: the history went to the first one.
  const late: SessionEvent[] = [];
  all.events$.subscribe((event) => late.push(event));
  expect(late).toEqual([]);
  await all.destroy();

  // A new client (a restarted consumer): this one's de-duplication window already holds the history.
  const another = await start('direct');
  another.backfillGaps$.subscribe((gap) => gaps.push(gap));
  const unknown = await another.resumeSession(session.id, { streaming: true, replay: { afterEventId: 'not-an-event-of-this-session' } });
  const again: SessionEvent[] = [];
  unknown.events$.subscribe((event) => again.push(event));
  expect(gaps).toEqual([{ sessionId: session.id, reason: 'event-not-found' }]);
  expect(again.filter((event) => isReplayed(event))[0]?.type).toBe('session.start');
});
