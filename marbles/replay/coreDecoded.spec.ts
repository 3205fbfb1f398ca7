import { decodeSessionEvent, type SessionEvent } from '@copilot-rx/core';
import { isLeft } from 'fp-ts/Either';
import { accumulateText } from '../../packages/operators/src/accumulateText';
import { toolCalls } from '../../packages/operators/src/toolCalls';
import { loadSessions, replay, type Timed } from './transcripts';

// The operators read structural shapes; this checks that core's decoded events (known types with
// io-ts-checked data, unknown wire types as `type: 'unknown'`) have them, on real traffic.
const FILES = ['raw-capi-chunks-5000.jsonl', 'cli-1.0.81/streaming.jsonl', 'cli-1.0.81/tools.jsonl', 'cli-1.0.81/subagent_hooks.jsonl'];

function decodeAll(file: string): Timed[][] {
  return [...loadSessions(file).values()].map((events) =>
    events.map(({ t, event }, index) => {
      const decoded = decodeSessionEvent(event);
      if (isLeft(decoded)) throw new Error(`${file}: core could not decode event ${index} (${event.type}): ${JSON.stringify(decoded.left).slice(0, 500)}`);
      const typed: SessionEvent = decoded.right;
      return { t, event: typed };
    }),
  );
}

describe.each(FILES)('operators on core-decoded events of %s', (file) => {
  const sessions = decodeAll(file);

  it('accumulateText ends every message with its content', () => {
    for (const events of sessions) {
      const finals = replay(events, () => accumulateText({ agents: 'all' })).filter((snapshot) => snapshot.final);
      const messages = events.map(({ event }) => event as SessionEvent).filter((event) => event.type === 'assistant.message');
      expect(finals.map(({ messageId, text }) => ({ messageId, text }))).toEqual(
        messages.map((event) => (event.type === 'assistant.message' ? { messageId: event.data.messageId, text: event.data.content } : undefined)),
      );
    }
  });

  it('toolCalls ends every tool call in a final state', () => {
    for (const events of sessions) {
      const states = replay(events, (scheduler) => toolCalls({ scheduler }));
      const starts = events.filter(({ event }) => event.type === 'tool.execution_start').length;
      expect(states.filter((state) => state.status !== 'running')).toHaveLength(starts);
    }
  });
});
