import { accumulateText, type TextSnapshot } from '../../packages/operators/src/accumulateText';
import { bufferDeltas, type DeltaChunk } from '../../packages/operators/src/bufferDeltas';
import { countTokens, type TokenCount } from '../../packages/operators/src/countTokens';
import type { EventLike } from '../../packages/operators/src/events';
import { loadTokenizer } from '../../packages/operators/src/tokenTally';
import { toolCalls, type ToolCallState } from '../../packages/operators/src/toolCalls';
import { listJsonl, loadSessions, replay, type Timed } from './transcripts';

const FILES = ['raw-capi-chunks-5000.jsonl', ...listJsonl('cli-1.0.81')];

/**
 * The tolerance of the token estimate against the exact count of the text. The usage figures in these
 * transcripts come from fake model endpoints (a constant 100 in / 20 out, or zeros from a replay
 * proxy), not from counting the text, so the exact count here is the o200k tokenizer run once over
 * the whole streamed text; the estimate counts the same text incrementally, delta by delta. They
 * agree exactly unless a single pre-tokenizer piece exceeds 256 characters, and then within 1 %.
 */
const TOLERANCE = 0.01;

const data = (event: EventLike) => event.data as Record<string, unknown>;
const agentKey = (event: { readonly agentId?: string }, id: string) => `${event.agentId ?? 'main'}/${id}`;

/** Each delta stream's text (message, reasoning and tool-argument deltas), keyed by agent and id. */
function streamedTexts(events: readonly Timed[]): Map<string, string> {
  const texts = new Map<string, string>();
  const add = (key: string, text: unknown) => texts.set(key, (texts.get(key) ?? '') + String(text));
  for (const { event } of events) {
    const d = data(event);
    if (event.type === 'assistant.message_delta') add(agentKey(event, `m:${String(d['messageId'])}`), d['deltaContent']);
    if (event.type === 'assistant.reasoning_delta') add(agentKey(event, `r:${String(d['reasoningId'])}`), d['deltaContent']);
    if (event.type === 'assistant.tool_call_delta') add(agentKey(event, `t:${String(d['toolCallId'])}`), d['inputDelta']);
  }
  return texts;
}

describe.each(FILES)('replaying %s', (file) => {
  const sessions = [...loadSessions(file).values()];

  it('has sessions to replay', () => {
    expect(sessions.length).toBeGreaterThan(0);
  });

  it('accumulateText: every final text is the assistant.message content, with no drift', () => {
    for (const events of sessions) {
      const finals = replay(events, () => accumulateText({ agents: 'all' }))
        .filter((snapshot: TextSnapshot) => snapshot.final)
        .map(({ agentId, messageId, text, drift }) => ({ agent: agentId ?? 'main', messageId, text, drift }));
      const messages = events
        .filter(({ event }) => event.type === 'assistant.message')
        .map(({ event }) => ({ agent: event.agentId ?? 'main', messageId: data(event)['messageId'], text: data(event)['content'], drift: false }));
      expect(finals).toEqual(messages);
    }
  });

  it('bufferDeltas: the chunks of each message add up to its deltas and to its content', () => {
    for (const events of sessions) {
      const chunks = replay(events, (scheduler) => bufferDeltas({ timeMs: 16, boundary: 'word', agents: 'all', scheduler }));
      const released = new Map<string, string>();
      for (const chunk of chunks as DeltaChunk[]) released.set(agentKey(chunk, `m:${chunk.messageId}`), (released.get(agentKey(chunk, `m:${chunk.messageId}`)) ?? '') + chunk.text);
      const streamed = new Map([...streamedTexts(events)].filter(([key, text]) => key.includes('/m:') && text !== ''));
      expect(released).toEqual(streamed);
      for (const { event } of events.filter(({ event }) => event.type === 'assistant.message')) {
        const key = agentKey(event, `m:${String(data(event)['messageId'])}`);
        if (released.has(key)) expect({ key, text: released.get(key) }).toEqual({ key, text: data(event)['content'] });
      }
      const deltas = events.filter(({ event }) => event.type === 'assistant.message_delta').length;
      // One emission per window instead of one per delta, on a real flood.
      if (deltas >= 1000) expect(chunks.length).toBeLessThan(deltas / 10);
    }
  });

  it(`countTokens: the estimate is within ${TOLERANCE * 100} % of the exact count of the streamed text, and snaps to assistant.usage`, () => {
    const o200k = loadTokenizer('o200k_base');
    for (const events of sessions) {
      const exactOfText = [...streamedTexts(events).values()].reduce((sum, text) => sum + o200k.count(text), 0);
      const withoutUsage = events.filter(({ event }) => event.type !== 'assistant.usage');
      const estimate = replay(withoutUsage, () => countTokens({ agents: 'all' })).at(-1)?.estimatedOutputTokens ?? 0;
      expect(Math.abs(estimate - exactOfText)).toBeLessThanOrEqual(Math.floor(exactOfText * TOLERANCE));

      // Every streamed call in these transcripts reported its usage, so the reconciled count is exact.
      const usages = events.filter(({ event }) => event.type === 'assistant.usage').map(({ event }) => Number(data(event)['outputTokens'] ?? 0));
      const reconciled: TokenCount | undefined = replay(events, () => countTokens({ agents: 'all' })).at(-1);
      if (usages.length > 0) {
        const reported = usages.reduce((sum, n) => sum + n, 0);
        expect(reconciled).toMatchObject({ estimatedOutputTokens: reported, exact: { outputTokens: reported } });
      } else {
        expect(reconciled?.exact).toBeUndefined();
      }
    }
  });

  it('toolCalls: every tool call ends in a final state, matching its completion', () => {
    for (const events of sessions) {
      const states = replay(events, (scheduler) => toolCalls({ scheduler }));
      const starts = events.filter(({ event }) => event.type === 'tool.execution_start');
      const completions = events.filter(({ event }) => event.type === 'tool.execution_complete');
      const finals = states.filter((state: ToolCallState) => state.status !== 'running');
      const stillRunning = new Map<string, ToolCallState>();
      for (const state of states) {
        const key = agentKey(state, state.toolCallId);
        if (state.status === 'running') stillRunning.set(key, state);
        else stillRunning.delete(key);
      }

      expect([...stillRunning.keys()]).toEqual([]);
      expect(finals.map((state) => agentKey(state, state.toolCallId)).sort()).toEqual(starts.map(({ event }) => agentKey(event, String(data(event)['toolCallId']))).sort());
      const count = (status: ToolCallState['status']) => finals.filter((state) => state.status === status).length;
      expect({ succeeded: count('succeeded'), failed: count('failed'), interrupted: count('interrupted') }).toEqual({
        succeeded: completions.filter(({ event }) => data(event)['success'] === true).length,
        failed: completions.filter(({ event }) => data(event)['success'] !== true).length,
        interrupted: starts.length - completions.length,
      });
    }
  });
});
