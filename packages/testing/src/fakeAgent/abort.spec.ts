import { VirtualTimeScheduler } from 'rxjs';
import { FakeCopilotAgent } from './FakeCopilotAgent';
import { dataOf, ofType, openSession, types } from './testSupport/session';
import { reply, turn } from './turns/dsl';

/** A clock the test moves by hand: `advanceTo(t)` runs everything due up to t. */
function manualClock(): { readonly scheduler: VirtualTimeScheduler; advanceTo(frame: number): void } {
  const scheduler = new VirtualTimeScheduler();
  return {
    scheduler,
    advanceTo(frame) {
      scheduler.maxFrames = frame;
      scheduler.flush();
    },
  };
}

const slowReply = (idleAfterAbort?: 'immediate' | 'stale' | 'merged') =>
  turn(reply('s0 s1 s2 s3 s4 s5 s6 s7 ', { chunks: 8, paceMs: 10 }), idleAfterAbort === undefined ? {} : { idleAfterAbort });

describe('FakeCopilotAgent abort', () => {
  it('leaves a hanging model call ([[hang]]) open after its one delta, until the abort ends it', async () => {
    const { client, sessionId } = await openSession(new FakeCopilotAgent());
    await client.request('session.send', { sessionId, prompt: 'Forever [[hang]]' });
    await client.waitForEvent('assistant.message_delta');
    // Nothing is scheduled: the call waits on nothing but the abort.
    await new Promise((resolve) => setImmediate(resolve));
    expect(types(client.events(sessionId)).slice(-3)).toEqual(['assistant.streaming_delta', 'assistant.message_start', 'assistant.message_delta']);
    await client.request('session.abort', { sessionId });
    const idle = await client.waitForEvent('session.idle');
    expect(dataOf(idle)).toEqual({ aborted: true, mode: 'interactive' });
    expect(types(client.events(sessionId))).not.toContain('assistant.message');
  });

  it('aborts mid-stream as CLI 1.0.102 does: abort, interrupted, turn_end, answer, then idle {aborted:true}', async () => {
    const clock = manualClock();
    const agent = new FakeCopilotAgent({ scheduler: clock.scheduler }).enqueue(slowReply());
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'Stream slowly' });
    clock.advanceTo(50); // five chunks
    await client.waitForEvent('assistant.message_delta', 5);
    await expect(client.request('session.abort', { sessionId })).resolves.toEqual({ success: true });
    await client.waitForEvent('session.idle');

    const afterDeltas = client.outline((line) => !line.startsWith('L')).slice(-10);
    expect(afterDeltas).toEqual([
      'E assistant.message_delta',
      'E abort',
      'E pending_messages.modified',
      'E agent.interrupted',
      'E assistant.turn_end',
      'R session.abort',
      'E session.background_tasks_changed',
      'E pending_messages.modified',
      'E assistant.idle',
      'E session.idle',
    ]);
    const events = client.events(sessionId);
    expect(ofType(events, 'assistant.message_delta')).toHaveLength(5);
    expect(types(events)).not.toContain('assistant.message'); // 1.0.102 drops the partial message
    expect(dataOf(ofType(events, 'abort')[0])).toEqual({ reason: 'user_initiated' });
    expect(dataOf(ofType(events, 'agent.interrupted')[0])).toMatchObject({ activity: 'model_call', turn: 0 });
    expect(dataOf(ofType(events, 'assistant.idle')[0])).toEqual({ aborted: true });
    expect(dataOf(ofType(events, 'session.idle')[0])).toEqual({ aborted: true, mode: 'interactive' });

    clock.advanceTo(1_000); // the aborted stream's timers are gone
    expect(ofType(client.events(sessionId), 'assistant.message_delta')).toHaveLength(5);
  });

  it('answers an abort of an idle session with success and no events', async () => {
    const { client, sessionId } = await openSession(new FakeCopilotAgent());
    const before = client.events(sessionId).length;
    await expect(client.request('session.abort', { sessionId })).resolves.toEqual({ success: true });
    await expect(client.request('session.abort', { sessionId })).resolves.toEqual({ success: true });
    expect(client.events(sessionId)).toHaveLength(before);
  });

  it('interrupts a pending client tool: no tool.execution_complete, and a late answer gets {success:false}', async () => {
    const { client, sessionId } = await openSession(new FakeCopilotAgent(), { tools: [{ name: 'get_weather', skipPermission: true }] });
    await client.request('session.send', { sessionId, prompt: 'Weather? [[tool get_weather {"city":"Paris"}]]' });
    const requestId = dataOf(await client.waitForEvent('external_tool.requested'))['requestId'];
    await client.request('session.abort', { sessionId });
    await client.waitForEvent('session.idle');
    await expect(client.request('session.tools.handlePendingToolCall', { sessionId, requestId, result: 'RELEASED_AFTER_ABORT' })).resolves.toEqual({ success: false });

    const events = client.events(sessionId);
    expect(types(events)).not.toContain('tool.execution_complete');
    expect(dataOf(ofType(events, 'agent.interrupted')[0])).toMatchObject({ activity: 'tool_call', toolCallIds: ['call_fake_1'], toolNames: ['get_weather'] });
  });

  it("'stale': the aborted loop's session.idle arrives after the next send is answered (protocol.md §5.4)", async () => {
    const clock = manualClock();
    const agent = new FakeCopilotAgent({ scheduler: clock.scheduler }).enqueue(slowReply('stale'), turn(reply('recovered')));
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'first' });
    clock.advanceTo(20);
    await client.waitForEvent('assistant.message_delta', 2);
    await client.request('session.abort', { sessionId });
    await client.waitForEvent('assistant.idle');
    expect(types(client.events(sessionId))).not.toContain('session.idle');

    await client.request('session.send', { sessionId, prompt: 'second' });
    await client.waitForEvent('session.idle', 2);
    const idles = ofType(client.events(sessionId), 'session.idle').map(dataOf);
    expect(idles).toEqual([{ aborted: true, mode: 'interactive' }, { mode: 'interactive' }]);
    // The stale idle comes right after the second send's answer, before that message's own events.
    const wire = client.outline((line) => line === 'R session.send' || line === 'E session.idle' || line === 'E user.message');
    expect(wire).toEqual(['R session.send', 'E user.message', 'R session.send', 'E session.idle', 'E user.message', 'E session.idle']);
  });

  it("'merged': the aborted loop gets no session.idle; the next message's idle is the only one", async () => {
    const clock = manualClock();
    const agent = new FakeCopilotAgent({ scheduler: clock.scheduler }).enqueue(slowReply('merged'), turn(reply('recovered')));
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'first' });
    clock.advanceTo(10);
    await client.waitForEvent('assistant.message_delta');
    await client.request('session.abort', { sessionId });
    await client.waitForEvent('assistant.idle');
    await client.request('session.send', { sessionId, prompt: 'second' });
    await client.waitForEvent('session.idle');
    const events = client.events(sessionId);
    expect(ofType(events, 'session.idle').map(dataOf)).toEqual([{ mode: 'interactive' }]);
    expect(ofType(events, 'assistant.idle').map(dataOf)).toEqual([{ aborted: true }, {}]);
  });
});
