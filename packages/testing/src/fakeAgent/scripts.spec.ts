import { VirtualTimeScheduler } from 'rxjs';
import { FakeCopilotAgent } from './FakeCopilotAgent';
import { dataOf, ofType, openSession, types } from './testSupport/session';
import { crash, queryError, rateLimit, reply, turn } from './turns/dsl';

describe('FakeCopilotAgent scripted scenarios', () => {
  it('reports a model HTTP error as the CLI does for a 400: turn_end, session.error, then idle', async () => {
    const { client, sessionId } = await openSession(new FakeCopilotAgent());
    await client.request('session.send', { sessionId, prompt: 'Trigger a client error [[http400]]' });
    await client.waitForEvent('session.idle');
    const tail = types(client.events(sessionId)).filter((type) => !type.startsWith('model.')).slice(-6);
    expect(tail).toEqual(['assistant.turn_start', 'session.usage_info', 'assistant.turn_end', 'session.error', 'assistant.idle', 'session.idle']);
    expect(dataOf(ofType(client.events(sessionId), 'session.error')[0])).toEqual({
      errorType: 'query',
      message: 'Execution failed: 400 fake upstream failure (400)',
      statusCode: 400,
    });
  });

  it('stops the agent loop at an error: later calls of the script do not run', async () => {
    const agent = new FakeCopilotAgent().enqueue(turn([queryError(500, { message: 'boom' }), reply('never')]));
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'x' });
    await client.waitForEvent('session.idle');
    expect(types(client.events(sessionId))).not.toContain('assistant.message');
  });

  it('holds idle after a rate limit until the auto-mode switch is answered', async () => {
    const agent = new FakeCopilotAgent().enqueue(turn(rateLimit({ retryAfterSeconds: 3 })));
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'x' });
    const requested = await client.waitForEvent('auto_mode_switch.requested');
    expect(dataOf(requested)).toEqual({ requestId: expect.any(String), errorCode: 'rate_limited', retryAfterSeconds: 3 });
    expect(dataOf(ofType(client.events(sessionId), 'session.error')[0])).toMatchObject({ errorType: 'rate_limit', errorCode: 'rate_limited', eligibleForAutoSwitch: true, statusCode: 429 });
    // Anything else the client asks is answered meanwhile, but the session stays busy.
    await client.request('ping');
    expect(types(client.events(sessionId))).not.toContain('session.idle');

    const answer = { sessionId, requestId: dataOf(requested)['requestId'], response: 'no' };
    await expect(client.request('session.ui.handlePendingAutoModeSwitch', answer)).resolves.toEqual({ success: true });
    await client.waitForEvent('session.idle');
    expect(types(client.events(sessionId)).slice(-3)).toEqual(['auto_mode_switch.completed', 'assistant.idle', 'session.idle']);
    expect(dataOf(ofType(client.events(sessionId), 'auto_mode_switch.completed')[0])).toEqual({ requestId: answer.requestId, response: 'no' });
  });

  it('runs compaction alongside the turn: start after turn_start, complete before the idle events (§7.4)', async () => {
    const { client, sessionId } = await openSession(new FakeCopilotAgent());
    await client.request('session.send', { sessionId, prompt: 'Hi [[compact]]' });
    await client.waitForEvent('session.idle');
    const sent = types(client.events(sessionId));
    expect(sent[sent.indexOf('assistant.turn_start') + 1]).toBe('session.compaction_start');
    expect(sent.slice(-4)).toEqual(['assistant.turn_end', 'session.compaction_complete', 'assistant.idle', 'session.idle']);
    expect(dataOf(ofType(client.events(sessionId), 'session.compaction_complete')[0])).toMatchObject({ success: true, trigger: 'threshold' });
  });

  it('streams reasoning before the text, with one reasoningId from deltas to the full block', async () => {
    const { client, sessionId } = await openSession(new FakeCopilotAgent());
    await client.request('session.send', { sessionId, prompt: 'Think [[reasoning]]' });
    await client.waitForEvent('session.idle');
    const events = client.events(sessionId);
    const sent = types(events);
    expect(sent.lastIndexOf('assistant.reasoning_delta')).toBeLessThan(sent.indexOf('assistant.message_delta'));
    const reasoning = dataOf(ofType(events, 'assistant.reasoning')[0]);
    const deltas = ofType(events, 'assistant.reasoning_delta').map(dataOf);
    expect(deltas.map((delta) => delta['deltaContent']).join('')).toBe(reasoning['content']);
    expect(new Set(deltas.map((delta) => delta['reasoningId']))).toEqual(new Set([reasoning['reasoningId']]));
  });

  it('re-sends already delivered events with their original ids, as a lagging CLI does', async () => {
    const agent = new FakeCopilotAgent().enqueue(turn(reply('abcdef', { chunks: 3, resend: { afterChunk: 2, count: 3 } })));
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'x' });
    await client.waitForEvent('session.idle');
    const events = client.events(sessionId);
    const ids = events.map((event) => event.id);
    const repeated = events.filter((event, index) => ids.indexOf(event.id) !== index);
    expect(types(repeated)).toEqual(['assistant.message_delta', 'assistant.streaming_delta', 'assistant.message_delta']);
    expect(repeated.map((event) => events.find((first) => first.id === event.id))).toEqual(repeated); // byte-for-byte the same event
  });

  it('crashes: the client sees the stream end mid-answer, and exited reports the code and stderr', async () => {
    const agent = new FakeCopilotAgent().enqueue(turn(crash({ exitCode: 3, stderr: 'panic: out of fake memory', partialText: 'Hello there', chunks: 2 })));
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'x' });
    await client.ended;
    await expect(agent.exited).resolves.toEqual({ exitCode: 3, stderr: 'panic: out of fake memory' });
    expect(agent.stderr).toBe('panic: out of fake memory');
    const sent = types(client.events(sessionId));
    expect(sent.slice(-2)).toEqual(['assistant.message_delta', 'assistant.message_delta']);
    expect(sent).not.toContain('session.idle');
    expect(() => agent.connectInMemory()).toThrow('The fake agent has exited (code 3); create a new one');
  });

  it('turns a script that throws into a loud session.error and still goes idle', async () => {
    const agent = new FakeCopilotAgent().enqueue(
      turn(
        reply(() => {
          throw new Error('bad script');
        }),
      ),
    );
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'x' });
    await client.waitForEvent('session.idle');
    expect(dataOf(ofType(client.events(sessionId), 'session.error')[0])).toEqual({
      errorType: 'fake_agent_script',
      message: "The fake agent's turn script failed: bad script",
    });
  });

  it('fails session.send when the script chooser throws, with the reason', async () => {
    const agent = new FakeCopilotAgent({
      script: () => {
        throw new Error('no script for this prompt');
      },
    });
    const { client, sessionId } = await openSession(agent);
    await expect(client.request('session.send', { sessionId, prompt: 'x' })).rejects.toMatchObject({
      code: -32603,
      message: "Request session.send failed with message: The fake agent's script chooser failed: no script for this prompt",
    });
  });

  it('gives the script chooser the prompt, the message index and the declared tools', async () => {
    const seen: unknown[] = [];
    const agent = new FakeCopilotAgent({
      script: (prompt, context) => {
        seen.push({ prompt, ...context });
        return turn(reply('ok'));
      },
    });
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'one' });
    await client.waitForEvent('session.idle');
    await client.request('session.send', { sessionId, prompt: 'two' });
    expect(seen).toEqual([
      { prompt: 'one', sessionId, messageIndex: 0, tools: ['get_weather'] },
      { prompt: 'two', sessionId, messageIndex: 1, tools: ['get_weather'] },
    ]);
  });

  it('runs paced scripts on a virtual clock: timestamps follow it and nothing waits in real time', async () => {
    const scheduler = new VirtualTimeScheduler();
    const agent = new FakeCopilotAgent({ scheduler }).enqueue(turn(reply('aaa bbb ccc ', { chunks: 3, paceMs: 60_000 })));
    const { client, sessionId } = await openSession(agent);
    await client.request('session.send', { sessionId, prompt: 'x' });
    scheduler.flush();
    await client.waitForEvent('session.idle');
    const deltas = ofType(client.events(sessionId), 'assistant.message_delta');
    expect(deltas.map((event) => event.timestamp)).toEqual(['1970-01-01T00:01:00.000Z', '1970-01-01T00:02:00.000Z', '1970-01-01T00:03:00.000Z']);
    expect(dataOf(ofType(client.events(sessionId), 'assistant.usage')[0])['duration']).toBe(180_000);
  });
});
