import { VirtualTimeScheduler } from 'rxjs';
import { isEphemeralType } from '../marbles/ephemeralTypes';
import type { WireSessionEvent } from '../marbles/eventStamper';
import { FakeCopilotAgent } from './FakeCopilotAgent';
import { dataOf, ofType, openSession, types } from './testSupport/session';
import { RpcTestClient, RpcResponseError } from './testSupport/RpcTestClient';
import { reply, turn } from './turns/dsl';
import { PLAIN_ANSWER } from './turns/promptDirectives';

/** Checks protocol.md §4.1 on a session's wire events: parentId = latest persisted event before it. */
function expectConsistentEnvelopes(events: readonly WireSessionEvent[], startParent: string | null = null): void {
  let lastPersisted = startParent;
  const ids = new Set<string>();
  for (const event of events) {
    expect(event.parentId).toBe(lastPersisted);
    expect(ids.has(event.id)).toBe(false);
    ids.add(event.id);
    expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
    if (isEphemeralType(event.type)) expect(event.ephemeral).toBe(true);
    else {
      expect('ephemeral' in event).toBe(false); // absent on persisted events, never false
      lastPersisted = event.id;
    }
  }
}

describe('FakeCopilotAgent sessions', () => {
  it('orders session.create as CLI 1.0.102 does: lifecycle created, answer, session.start, managed settings, created again', async () => {
    const agent = new FakeCopilotAgent();
    const { client, sessionId } = await openSession(agent);
    await client.waitFor((message) => message.method === 'session.lifecycle' && message.params?.['type'] === 'session.created' && client.received.indexOf(message) > 2);
    expect(client.outline()).toEqual([
      'R connect',
      'L session.created',
      'R session.create',
      'E session.start',
      'L session.updated',
      'E session.managed_settings_resolved',
      'L session.created',
    ]);
    const [start, settings] = client.events(sessionId);
    expect(start?.parentId).toBeNull();
    expect(settings?.parentId).toBe(start?.id);
    expect(settings?.ephemeral).toBe(true);
    expect(dataOf(start)).toMatchObject({ sessionId, version: 1, producer: 'copilot-agent', copilotVersion: '1.0.102', context: { cwd: '/workspace' } });
  });

  it('answers session.create with the session the client chose and its workspace', async () => {
    const agent = new FakeCopilotAgent();
    const { readable, writable } = agent.connectInMemory();
    const client = new RpcTestClient(readable, writable);
    await expect(client.request('session.create', { sessionId: 'abc', model: 'gpt-5' })).resolves.toEqual({
      sessionId: 'abc',
      nativeSessionId: 'abc',
      startTime: expect.any(String),
      isRemote: false,
      mode: 'interactive',
      workspacePath: '/home/user/.copilot/session-state/abc',
      capabilities: { ui: { elicitation: false, mcpApps: false, canvases: false }, extensions: false },
      modelState: { modelId: 'gpt-5' },
    });
  });

  it('streams a plain answer: pending_messages.modified before the send answer, deltas that add up, idle last', async () => {
    const agent = new FakeCopilotAgent();
    const { client, sessionId } = await openSession(agent);
    const answer = await client.request('session.send', { sessionId, prompt: 'Say hello' });
    expect(answer).toEqual({ messageId: expect.any(String) });
    await client.waitForEvent('session.idle');

    const outline = client.outline((line) => !line.startsWith('L'));
    const sendAnswered = outline.indexOf('R session.send');
    expect(outline.slice(sendAnswered - 1, sendAnswered + 1)).toEqual(['E pending_messages.modified', 'R session.send']);

    const events = client.events(sessionId);
    expect(types(events).slice(-4)).toEqual(['assistant.message', 'assistant.turn_end', 'assistant.idle', 'session.idle']);
    const deltas = ofType(events, 'assistant.message_delta').map((event) => dataOf(event)['deltaContent']);
    expect(deltas.join('')).toBe(PLAIN_ANSWER);
    expect(deltas[0]).toBe('Hello fr'); // the recorded 8-character chunks
    const message = dataOf(ofType(events, 'assistant.message')[0]);
    expect(message['content']).toBe(PLAIN_ANSWER);
    expect(ofType(events, 'assistant.message_start').map((event) => dataOf(event)['messageId'])).toEqual([message['messageId']]);
    expect(dataOf(ofType(events, 'user.message')[0])).toMatchObject({ content: 'Say hello', messageId: (answer as { messageId: string }).messageId, delivery: 'idle' });
    expect(dataOf(ofType(events, 'session.idle')[0])).toEqual({ mode: 'interactive' });
    expectConsistentEnvelopes(events);
  });

  it('restarts turnIds at "0" for each message and shares one interactionId per message', async () => {
    const agent = new FakeCopilotAgent().enqueue(turn(reply('one')), turn(reply('two')));
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'a' });
    await client.waitForEvent('session.idle');
    await client.request('session.send', { sessionId, prompt: 'b' });
    await client.waitForEvent('session.idle', 2);
    const starts = ofType(client.events(sessionId), 'assistant.turn_start').map(dataOf);
    expect(starts.map((start) => start['turnId'])).toEqual(['0', '0']);
    expect(starts[0]?.['interactionId']).not.toBe(starts[1]?.['interactionId']);
  });

  it('without streaming sends no deltas, only the final message', async () => {
    const agent = new FakeCopilotAgent();
    const { client, sessionId } = await openSession(agent, { streaming: false });
    await client.request('session.send', { sessionId, prompt: 'Say hello' });
    await client.waitForEvent('session.idle');
    const sent = types(client.events(sessionId));
    expect(sent).not.toContain('assistant.message_delta');
    expect(sent).not.toContain('assistant.message_start');
    expect(sent).toContain('assistant.message');
  });

  it('queues a message sent while busy and goes idle once, after both', async () => {
    // The first answer waits on a virtual clock nobody advances until the second message is in.
    const scheduler = new VirtualTimeScheduler();
    const agent = new FakeCopilotAgent({ scheduler }).enqueue(turn(reply('first', { paceMs: 10 })), turn(reply('second')));
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'a' });
    await client.request('session.send', { sessionId, prompt: 'b' });
    scheduler.flush();
    await client.waitForEvent('session.idle');
    const events = client.events(sessionId);
    expect(ofType(events, 'session.idle')).toHaveLength(1);
    expect(ofType(events, 'assistant.message').map((event) => dataOf(event)['content'])).toEqual(['first', 'second']);
    expect(ofType(events, 'user.message').map((event) => dataOf(event)['delivery'])).toEqual(['idle', 'queued']);
  });

  it('returns only persisted events from session.getMessages', async () => {
    const agent = new FakeCopilotAgent();
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'Say hello' });
    await client.waitForEvent('session.idle');
    const { events } = (await client.request('session.getMessages', { sessionId })) as { events: WireSessionEvent[] };
    expect(events).toEqual(client.events(sessionId).filter((event) => event.ephemeral !== true));
    expect(types(events)).toEqual(['session.start', 'user.message', 'system.message', 'assistant.turn_start', 'assistant.message', 'assistant.turn_end']);
    expect(agent.history(sessionId)).toEqual(events);
  });

  it('destroys a session: session.shutdown before the answer, then "Session not found" for its methods', async () => {
    const agent = new FakeCopilotAgent();
    const { client, sessionId } = await openSession(agent);
    await expect(client.request('session.destroy', { sessionId })).resolves.toEqual({ success: true });
    expect(client.outline((line) => line.startsWith('E') || line.startsWith('R session.destroy')).slice(-2)).toEqual(['E session.shutdown', 'R session.destroy']);
    await expect(client.request('session.send', { sessionId, prompt: 'Hello' })).rejects.toEqual(
      new RpcResponseError(-32603, `Request session.send failed with message: Session not found for sessionId: ${sessionId}`),
    );
  });

  it('resumes a session: session.resume parented to the last persisted event, no history replayed', async () => {
    const agent = new FakeCopilotAgent();
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'Say hello' });
    await client.waitForEvent('session.idle');
    await client.request('session.destroy', { sessionId });
    const lastPersisted = client.events(sessionId).filter((event) => event.ephemeral !== true).at(-1);

    const { readable, writable } = agent.connectInMemory();
    const second = new RpcTestClient(readable, writable);
    await expect(second.request('session.resume', { sessionId, streaming: true })).resolves.toMatchObject({ sessionId });
    const resumed = await second.waitForEvent('session.resume');
    await second.waitForEvent('session.managed_settings_resolved');
    expect(types(second.events(sessionId))).toEqual(['session.resume', 'session.managed_settings_resolved']);
    expect(resumed.parentId).toBe(lastPersisted?.id);
    expect(dataOf(resumed)).toMatchObject({ eventCount: 7, sessionWasActive: false, alreadyInUse: false });

    await second.request('session.send', { sessionId, prompt: 'again' });
    await second.waitForEvent('session.idle');
    expectConsistentEnvelopes(second.events(sessionId), lastPersisted?.id ?? null);
  });

  it('fails to resume an unknown session with the CLI message', async () => {
    const { client } = await openSession(new FakeCopilotAgent());
    await expect(client.request('session.resume', { sessionId: 'nope' })).rejects.toEqual(
      new RpcResponseError(-32603, 'Request session.resume failed with message: Failed to load session events: Session not found: nope'),
    );
  });

  it('delivers a session to every attached connection and lifecycle notifications to every client', async () => {
    const agent = new FakeCopilotAgent();
    const { client, sessionId } = await openSession(agent);
    const { readable, writable } = agent.connectInMemory();
    const observer = new RpcTestClient(readable, writable);
    await observer.request('connect', {});
    await observer.request('session.resume', { sessionId, streaming: true });
    await client.request('session.send', { sessionId, prompt: 'Say hello' });
    await observer.waitForEvent('session.idle');
    await client.waitForEvent('session.idle');
    const forClient = client.events(sessionId).filter((event) => event.type !== 'session.resume' && event.type !== 'session.managed_settings_resolved');
    const sendEvents = forClient.slice(forClient.findIndex((event) => event.type === 'pending_messages.modified'));
    expect(observer.events(sessionId).slice(-sendEvents.length)).toEqual(sendEvents);
    expect(observer.received.filter((message) => message.method === 'session.lifecycle' && message.params?.['sessionId'] === sessionId).length).toBeGreaterThan(0);
  });

  it("drops a connection's tools when it disconnects", async () => {
    const agent = new FakeCopilotAgent();
    const owner = agent.connectInMemory();
    const ownerClient = new RpcTestClient(owner.readable, owner.writable);
    await ownerClient.request('session.create', { sessionId: 's', streaming: true, tools: [{ name: 'get_weather', skipPermission: true }] });
    const { readable, writable } = agent.connectInMemory();
    const other = new RpcTestClient(readable, writable);
    await other.request('session.resume', { sessionId: 's', streaming: true });
    owner.writable.end();
    await owner.closed;
    await other.request('session.send', { sessionId: 's', prompt: 'Weather? [[tool get_weather {"city":"Paris"}]]' });
    const complete = await other.waitForEvent('tool.execution_complete');
    expect(dataOf(complete)).toMatchObject({ success: false, error: { message: "Tool 'get_weather' does not exist." } });
  });

  it('rejects a tool declaration without a name, naming the index', async () => {
    const agent = new FakeCopilotAgent();
    const { readable, writable } = agent.connectInMemory();
    const client = new RpcTestClient(readable, writable);
    await expect(client.request('session.create', { sessionId: 's', tools: [{ name: 'ok' }, { description: 'nameless' }] })).rejects.toEqual(
      new RpcResponseError(-32602, 'Invalid params for session.create: tools[1].name must be a non-empty string. Got {"description":"nameless"}'),
    );
  });
});
