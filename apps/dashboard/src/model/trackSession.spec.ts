/**
 * The dashboard's view model in virtual time: what the page is sent for a session's events (text
 * coalesced to the frame rate, authoritative finals, reasoning, tools, permission prompts, the row).
 */
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { EventLike } from '@copilot-rx/operators';
import type { SessionPatch } from './patches';
import { trackSession } from './trackSession';
import { emptyRow, type SessionRow } from './view';

const ev = (type: string, data: object = {}, agentId?: string): EventLike => (agentId === undefined ? { type, data } : { type, data, agentId });
const delta = (messageId: string, deltaContent: string) => ev('assistant.message_delta', { messageId, deltaContent });

/**
 * Runs `script` (which pushes events at virtual times with `at(ms, ...events)`) and returns every
 * patch trackSession emitted, with the virtual time it was emitted at.
 */
function track(script: (at: (ms: number, ...events: EventLike[]) => void) => void): { time: number; patch: SessionPatch }[] {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const seen: { time: number; patch: SessionPatch }[] = [];
  scheduler.run(({ flush }) => {
    const events = new Subject<EventLike>();
    trackSession('s1', 'model-x', events, scheduler).subscribe((patch) => seen.push({ time: scheduler.now(), patch }));
    script((ms, ...batch) => scheduler.schedule(() => batch.forEach((e) => events.next(e)), ms));
    scheduler.schedule(() => events.complete(), 10_000);
    flush();
  });
  return seen;
}

const ofKind = <K extends SessionPatch['kind']>(seen: { patch: SessionPatch }[], kind: K) =>
  seen.map((s) => s.patch).filter((p): p is Extract<SessionPatch, { kind: K }> => p.kind === kind);
const lastRow = (seen: { patch: SessionPatch }[]): SessionRow => ofKind(seen, 'row').at(-1)!.row;

describe('trackSession', () => {
  it('coalesces answer deltas to one text patch a frame, then sends the authoritative text', () => {
    const seen = track((at) => {
      at(0, ev('user.message', { content: 'Hi' }), ev('assistant.turn_start', { turnId: '0' }));
      at(1, delta('m1', 'He'), delta('m1', 'll'));
      at(5, delta('m1', 'o'));
      at(40, delta('m1', ' there'));
      at(45, ev('assistant.message', { messageId: 'm1', content: 'Hello there!' }), ev('session.idle'));
    });
    const text = seen.filter((s) => s.patch.kind === 'text' || s.patch.kind === 'text-final');
    expect(text).toEqual([
      { time: 17, patch: { kind: 'text', sessionId: 's1', messageId: 'm1', text: 'Hello' } },
      { time: 45, patch: { kind: 'text', sessionId: 's1', messageId: 'm1', text: ' there' } },
      { time: 45, patch: { kind: 'text-final', sessionId: 's1', messageId: 'm1', text: 'Hello there!' } },
    ]);
    expect(ofKind(seen, 'entry')).toEqual([{ kind: 'entry', sessionId: 's1', entry: { kind: 'prompt', text: 'Hi' } }]);
  });

  it('gives a message that only asks for tools no text entry', () => {
    const seen = track((at) => at(0, ev('assistant.message', { messageId: 'm1', content: '', toolRequests: [{ toolCallId: 't1', name: 'x' }] })));
    expect(ofKind(seen, 'text-final')).toEqual([]);
  });

  it('sends reasoning at most once a frame, and never an older snapshot after the final one', () => {
    const seen = track((at) => {
      at(0, ev('assistant.reasoning_delta', { reasoningId: 'r1', deltaContent: 'Think' }));
      at(2, ev('assistant.reasoning_delta', { reasoningId: 'r1', deltaContent: 'ing' }));
      at(3, ev('assistant.reasoning', { reasoningId: 'r1', content: 'Thinking.' }));
    });
    expect(ofKind(seen, 'reasoning').map((p) => p.text)).toEqual(['Thinking.']);
  });

  it('shows a tool waiting for permission until the prompt is answered, then its result and duration', () => {
    const seen = track((at) => {
      at(100, ev('user.message', { content: 'Weather?' }));
      at(150, ev('tool.execution_start', { toolCallId: 't1', toolName: 'get_weather', arguments: { city: 'Paris' } }));
      at(200, ev('permission.requested', { requestId: 'p1', permissionRequest: { kind: 'custom-tool', toolCallId: 't1', toolName: 'get_weather', args: { city: 'Paris' } } }));
      at(500, ev('permission.completed', { requestId: 'p1', result: { kind: 'approved' } }));
      at(600, ev('tool.execution_complete', { toolCallId: 't1', success: true, result: { content: 'Sunny' } }));
      at(700, ev('session.idle'));
    });
    const permissions = ofKind(seen, 'permissions').map((p) => p.permissions);
    expect(permissions).toEqual([[], [{ requestId: 'p1', kind: 'custom-tool', summary: 'get_weather {"city":"Paris"}' }], []]);
    const statuses = ofKind(seen, 'tools').map((p) => p.tools.map((t) => t.status).join());
    expect(statuses).toEqual(['', 'running', 'waiting for permission', 'running', 'succeeded']);
    expect(ofKind(seen, 'tools').at(-1)!.tools[0]).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris"}', durationMs: 450, result: 'Sunny' });
    const activities = ofKind(seen, 'row').map((p) => p.row.activity);
    expect(activities).toEqual(['idle', 'working', 'running tool', 'waiting for permission', 'running tool', 'working', 'idle']);
  });

  it('keeps a failed turn in the error state through its idle, until the next prompt', () => {
    const seen = track((at) => {
      at(100, ev('user.message', { content: 'one' }));
      at(120, ev('session.error', { errorType: 'query', message: 'boom', statusCode: 400 }), ev('assistant.idle'), ev('session.idle'));
      at(100, ev('session.error', { errorType: 'notification', message: 'a log line' }));
      at(200, ev('user.message', { content: 'two' }));
    });
    expect(ofKind(seen, 'row').map((p) => [p.row.activity, p.row.error, p.row.turns])).toEqual([
      ['idle', null, 0],
      ['working', null, 1],
      ['error', 'boom', 1],
      ['working', null, 2],
    ]);
    expect(ofKind(seen, 'entry').map((p) => p.entry)).toContainEqual({ kind: 'notice', level: 'error', text: 'query: boom' });
  });

  it('fills the row from the operators: usage, cached tokens, cost, model, time to first token', () => {
    const seen = track((at) => {
      at(100, ev('user.message', { content: 'Hi' }), ev('assistant.turn_start', { turnId: '0' }));
      at(130, delta('m1', 'Hello'));
      at(150, delta('m1', ' world'));
      at(200, ev('assistant.usage', { model: 'real-model', inputTokens: 100, outputTokens: 7, cacheReadTokens: 40, cost: 1 }));
      at(201, ev('assistant.message', { messageId: 'm1', content: 'Hello world' }), ev('session.idle'));
    });
    expect(lastRow(seen)).toEqual({
      ...emptyRow('real-model'),
      activity: 'idle',
      turns: 1,
      inputTokens: 100,
      outputTokens: 7,
      cachedTokens: 40,
      cost: 1,
      ttftMs: 30,
      tokensPerSecond: expect.any(Number),
    });
    // Before the usage arrived, the tokenizer's estimate was shown and rose with the text.
    const estimates = ofKind(seen, 'row').map((p) => p.row.outputTokens);
    expect(estimates).toEqual([0, 0, 1, 2, 7]);
  });

  it('ignores sub-agents for the phase', () => {
    const seen = track((at) => at(0, ev('session.error', { errorType: 'query', message: 'sub failed' }, 'agent-1')));
    expect(lastRow(seen).activity).toBe('idle');
  });
});
