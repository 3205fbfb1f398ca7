import { decodeSessionEvent, type SessionEvent } from '@copilot-rx/core';
import { isRight } from 'fp-ts/Either';
import { TestScheduler } from 'rxjs/testing';
import { createEventFactory } from './eventFactory';

describe('createEventFactory', () => {
  it('gives deterministic ids and parentIds that point at the latest persisted event', () => {
    const ev = createEventFactory();
    const user = ev.userMessage('Hi');
    const turn = ev.turnStart();
    const delta = ev.messageDelta('Hel');
    const message = ev.message('Hello');
    const idle = ev.sessionIdle();
    expect([user, turn, delta, message, idle].map((event) => [event.id, event.parentId, event.ephemeral])).toEqual([
      ['e1', null, undefined],
      ['e2', 'e1', undefined],
      ['e3', 'e2', true], // ephemeral: never a parent
      ['e4', 'e2', undefined],
      ['e5', 'e4', true],
    ]);
    expect('ephemeral' in message).toBe(false); // absent on persisted events, as on the wire
  });

  it('correlates by what is open: deltas join the open message, turnEnd closes the open turn', () => {
    const ev = createEventFactory();
    ev.userMessage('Hi');
    expect(ev.turnStart().data).toEqual({ turnId: '0', interactionId: 'i1' });
    const start = ev.messageStart();
    const deltas = [ev.messageDelta('a'), ev.messageDelta('b')];
    const message = ev.message('ab');
    expect(deltas.map((delta) => delta.data.messageId)).toEqual([start.data.messageId, start.data.messageId]);
    expect(message.data).toEqual({ messageId: 'm1', content: 'ab', toolRequests: [], turnId: '0', interactionId: 'i1' });
    expect(ev.turnEnd().data).toEqual({ turnId: '0' });
    expect(ev.turnStart().data.turnId).toBe('1');
    expect(ev.messageDelta('next').data.messageId).toBe('m2'); // the closed message is not reused
    ev.userMessage('Again');
    expect(ev.turnStart().data).toEqual({ turnId: '0', interactionId: 'i2' });
  });

  it('ties a tool call together: start, permission, client call, completion', () => {
    const ev = createEventFactory({ sessionId: 's-42' });
    const start = ev.toolStart('get_weather', { arguments: { city: 'Paris' } });
    const asked = ev.permissionRequested();
    const granted = ev.permissionCompleted();
    const requested = ev.externalToolRequested({ arguments: { city: 'Paris' } });
    const done = ev.externalToolCompleted();
    const complete = ev.toolComplete('Sunny');
    expect(start.data).toEqual({ toolCallId: 'call_1', toolName: 'get_weather', arguments: { city: 'Paris' } });
    expect(asked.data.permissionRequest).toEqual({ kind: 'custom-tool', toolCallId: 'call_1', toolName: 'get_weather', toolDescription: '' });
    expect(granted.data).toEqual({ requestId: asked.data.requestId, toolCallId: 'call_1', result: { kind: 'approved' } });
    expect(requested.data).toEqual({ requestId: 'tool_1', sessionId: 's-42', toolCallId: 'call_1', toolName: 'get_weather', arguments: { city: 'Paris' } });
    expect(done.data).toEqual({ requestId: 'tool_1' });
    expect(complete.data).toEqual({ toolCallId: 'call_1', success: true, result: { content: 'Sunny', detailedContent: 'Sunny' } });
    expect(ev.toolComplete({ error: 'denied', code: 'denied' }, { toolCallId: 'call_9' }).data).toEqual({
      toolCallId: 'call_9',
      success: false,
      error: { message: 'denied', code: 'denied' },
    });
  });

  it('takes timestamps from a scheduler clock', () => {
    const scheduler = new TestScheduler(() => undefined);
    const ev = createEventFactory({ clock: scheduler });
    expect(ev.sessionIdle().timestamp).toBe('1970-01-01T00:00:00.000Z');
    const fixed = createEventFactory({ clock: () => Date.UTC(2030, 4, 6) });
    expect(fixed.abort().timestamp).toBe('2030-05-06T00:00:00.000Z');
    const byDefault = createEventFactory();
    expect([byDefault.sessionIdle().timestamp, byDefault.sessionIdle().timestamp]).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.001Z']);
  });

  it('lets every default be overridden, envelope included', () => {
    const ev = createEventFactory();
    const sub = ev.messageDelta('x', { messageId: 'sub-m', envelope: { agentId: 'agent-7', id: 'fixed', parentId: 'p' } });
    expect(sub).toEqual({ type: 'assistant.message_delta', data: { messageId: 'sub-m', deltaContent: 'x' }, ephemeral: true, id: 'fixed', timestamp: expect.any(String), parentId: 'p', agentId: 'agent-7' });
    expect(ev.sessionError('boom', { statusCode: 500 }).data).toEqual({ errorType: 'query', message: 'boom', statusCode: 500 });
  });

  it('builds events that decode with core to themselves', () => {
    const ev = createEventFactory();
    const built: SessionEvent[] = [
      ev.sessionStart(),
      ev.userMessage('Hi'),
      ev.turnStart(),
      ev.compactionStart({ trigger: 'threshold' }),
      ev.reasoningDelta('hm'),
      ev.reasoning('hm'),
      ev.messageStart(),
      ev.messageDelta('Hel'),
      ev.usage({ inputTokens: 10, outputTokens: 2 }),
      ev.message('Hello'),
      ev.toolStart('get_weather'),
      ev.toolProgress('working'),
      ev.toolPartialResult('part'),
      ev.permissionRequested(),
      ev.permissionCompleted('denied-interactively-by-user'),
      ev.externalToolRequested(),
      ev.externalToolCompleted(),
      ev.toolComplete({ error: 'The user rejected this tool call.', code: 'rejected' }),
      ev.turnEnd(),
      ev.compactionComplete(),
      ev.abort(),
      ev.sessionError('boom'),
      ev.assistantIdle({ aborted: true }),
      ev.sessionIdle({ aborted: true }),
      ev.event('session.title_changed', { title: 'Hi' }),
      ev.unknown('model.turn_started', { turn: 0 }),
    ];
    for (const event of built) {
      const wire = event.type === 'unknown' ? { ...withoutRawType(event), type: event.rawType } : event;
      const decoded = decodeSessionEvent(JSON.parse(JSON.stringify(wire)));
      expect(isRight(decoded) ? decoded.right : decoded.left).toEqual(event);
    }
  });
});

function withoutRawType(event: SessionEvent): object {
  const { rawType: _rawType, ...rest } = event as SessionEvent & { rawType?: string };
  return rest;
}
