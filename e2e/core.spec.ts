/**
 * @copilot-rx/core end to end, offline, against four backends: the real Copilot CLI streaming from a
 * scripted model endpoint on 127.0.0.1, and the fake agent's bin (`copilot-rx-fake-agent`, a process
 * too), each over stdio and tcp. The prompts' markers mean the same to both, so one test body checks
 * core against the real thing and checks that the fake is a stand-in apps can trust.
 */
import * as t from 'io-ts';
import { firstValueFrom, lastValueFrom, filter, toArray } from 'rxjs';
import {
  ConnectionClosedError,
  DEFAULT_DENIAL_FEEDBACK,
  SessionError,
  approveAll,
  defineTool,
  type SessionEvent,
} from '@copilot-rx/core';
import { ALL_BACKENDS, startBackend, type Backend } from './support/backends';

jest.setTimeout(90_000);

const textOf = (events: readonly SessionEvent[]) =>
  events
    .filter((e) => e.type === 'assistant.message_delta')
    .map((e) => (e.type === 'assistant.message_delta' ? e.data.deltaContent : ''))
    .join('');

const finalMessages = (events: readonly SessionEvent[]) =>
  events.flatMap((e) => (e.type === 'assistant.message' ? [e.data.content] : []));

describe.each(ALL_BACKENDS)('core against %s', (kind) => {
  // One agent process per backend for the whole block: each test opens its own sessions on it.
  let cli: Backend;
  beforeAll(async () => {
    cli = await startBackend(kind);
  });
  afterAll(async () => {
    await cli?.dispose();
  });

  it('streams an answer whose deltas add up to the final message', async () => {
    const session = await cli.client.createSession(cli.sessionConfig());
    const events = await lastValueFrom(session.send('Count for me [[chunks 40]]').pipe(toArray()));
    const [message] = finalMessages(events);
    expect(textOf(events).length).toBeGreaterThan(0);
    expect(textOf(events)).toBe(message);
    expect(events.filter((e) => e.type === 'assistant.message_delta').length).toBe(40);
    expect(events.at(-1)?.type).toBe('session.idle');
    await session.destroy();
  });

  const weatherTool = (calls: string[]) =>
    defineTool({
      name: 'get_weather',
      description: 'The weather in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      args: t.type({ city: t.string }),
      handler: ({ city }) => {
        calls.push(city);
        return `Sunny in ${city}, 21C`;
      },
    });

  it('runs a client tool when the permission handler approves it', async () => {
    const calls: string[] = [];
    const session = await cli.client.createSession(
      cli.sessionConfig({ tools: [weatherTool(calls)], onPermissionRequest: approveAll }),
    );
    const events = await lastValueFrom(session.send('Weather? [[tool get_weather {"city":"Paris"}]]').pipe(toArray()));
    expect(calls).toEqual(['Paris']);
    const complete = events.find((e) => e.type === 'tool.execution_complete');
    expect(complete?.type === 'tool.execution_complete' && complete.data.success).toBe(true);
    expect(finalMessages(events).join('\n')).toContain('Sunny in Paris, 21C');
    await session.destroy();
  });

  it('denies the same tool by default, and the model reads why', async () => {
    const calls: string[] = [];
    const session = await cli.client.createSession(cli.sessionConfig({ tools: [weatherTool(calls)] }));
    const events = await lastValueFrom(session.send('Weather? [[tool get_weather {"city":"Oslo"}]]').pipe(toArray()));
    expect(calls).toEqual([]);
    const complete = events.find((e) => e.type === 'tool.execution_complete');
    expect(complete?.type === 'tool.execution_complete' && complete.data.success).toBe(false);
    // Both models answer a tool result with "Tool NAME returned: <what the model was given>".
    expect(finalMessages(events).at(-1)).toContain(DEFAULT_DENIAL_FEEDBACK);
    await session.destroy();
  });

  it('aborts mid-stream: the turn ends with an aborted idle and the next turn works', async () => {
    const session = await cli.client.createSession(cli.sessionConfig());
    const turn = session.send('Slowly [[chunks 200]] [[pace 30]]');
    const events: SessionEvent[] = [];
    const done = new Promise<void>((resolve, reject) => {
      let deltas = 0;
      turn.subscribe({
        next: (event) => {
          events.push(event);
          if (event.type === 'assistant.message_delta' && ++deltas === 5) void session.abort();
        },
        error: reject,
        complete: resolve,
      });
    });
    await done;
    const idle = events.at(-1);
    expect(idle?.type).toBe('session.idle');
    expect(idle?.type === 'session.idle' && idle.data.aborted).toBe(true);
    expect(events.some((e) => e.type === 'abort')).toBe(true);
    const next = await lastValueFrom(session.send('Again [[chunks 3]]').pipe(toArray()));
    expect(finalMessages(next)).toHaveLength(1);
    expect(next.at(-1)?.type === 'session.idle' && next.at(-1)?.data).toEqual(expect.not.objectContaining({ aborted: true }));
    await session.destroy();
  });

  it('fails the turn with a SessionError when the model answers HTTP 400', async () => {
    const session = await cli.client.createSession(cli.sessionConfig());
    const error = await lastValueFrom(session.send('Break [[http 400]]')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toMatchObject({ statusCode: 400 });
    expect((error as SessionError).serverMessage).toMatch(/400/);
    await session.destroy();
  });

  it('keeps two sessions streaming at once apart', async () => {
    const [a, b] = await Promise.all([
      cli.client.createSession(cli.sessionConfig()),
      cli.client.createSession(cli.sessionConfig()),
    ]);
    const routed = new Map<string, string>();
    const all = cli.client.events$.subscribe(({ sessionId, event }) => routed.set(event.id, sessionId));
    const [eventsA, eventsB] = await Promise.all([
      lastValueFrom(a.send('Alpha alpha alpha [[chunks 60]] [[pace 2]]').pipe(toArray())),
      lastValueFrom(b.send('Beta beta beta [[chunks 60]] [[pace 2]]').pipe(toArray())),
    ]);
    all.unsubscribe();
    for (const [session, events] of [[a, eventsA], [b, eventsB]] as const) {
      for (const event of events) expect(routed.get(event.id)).toBe(session.id);
      expect(textOf(events)).toBe(finalMessages(events)[0]);
    }
    const idsA = new Set(eventsA.map((e) => e.id));
    expect(eventsB.some((e) => idsA.has(e.id))).toBe(false);
    expect(finalMessages(eventsA)[0]).not.toBe(finalMessages(eventsB)[0]);
    await Promise.all([a.destroy(), b.destroy()]);
  });
});

// The fake's bin is a real process with a real pid, so the kill is the same on all four backends.
describe('core against an agent process that dies', () => {
  it.each(ALL_BACKENDS)('errors a running turn with ConnectionClosedError when the agent is SIGKILLed (%s)', async (kind) => {
    const cli = await startBackend(kind);
    try {
      const session = await cli.client.createSession(cli.sessionConfig());
      const turn = session.send('Forever [[hang]]');
      const outcome = lastValueFrom(turn).catch((e: unknown) => e);
      await firstValueFrom(session.events$.pipe(filter((e) => e.type === 'user.message')));
      const pid = cli.client.pid;
      expect(pid).toBeDefined();
      const killedAt = Date.now();
      process.kill(pid!, 'SIGKILL');
      const error = await outcome;
      expect(error).toBeInstanceOf(ConnectionClosedError);
      expect((error as ConnectionClosedError).signal ?? (error as ConnectionClosedError).reason).toBeTruthy();
      // A liveness bound, not a speed measurement: the error must come from the closure itself, not
      // from some request timeout far later.
      expect(Date.now() - killedAt).toBeLessThan(5_000);
      expect(cli.client.state.status).toBe('closed');
    } finally {
      await cli.dispose();
    }
  });
});
