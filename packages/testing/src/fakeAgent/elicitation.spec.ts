/**
 * Elicitation on the fake agent (`[[elicit MESSAGE]]`), as core's client meets it, and its fidelity to
 * the real CLI: the events carry the fields, in the order, that CLI 1.0.102 sent when an MCP server
 * elicited (fixtures/transcripts/cli-1.0.102/parity).
 */
import { CopilotRxClient, streamTransport, type SessionConfig, type SessionEvent } from '@copilot-rx/core';
import { lastValueFrom, toArray } from 'rxjs';
import { readTranscriptRecords } from '../../../../fixtures/transcripts';
import { FakeCopilotAgent } from './FakeCopilotAgent';

async function elicitationTurn(config: SessionConfig) {
  const agent = new FakeCopilotAgent();
  const client = new CopilotRxClient({ transport: streamTransport(agent.connectInMemory()) });
  await client.start();
  try {
    const session = await client.createSession(config);
    return await lastValueFrom(session.send('Ask [[elicit Favourite colour?]]').pipe(toArray()));
  } finally {
    await client.stop();
  }
}

const dataOf = (events: readonly SessionEvent[], type: string) => events.find((event) => event.type === type)?.data as Record<string, unknown> | undefined;
const answerText = (events: readonly SessionEvent[]) => (events.filter((event) => event.type === 'assistant.message').at(-1)?.data as { content: string }).content;

it("asks the client's onElicitation, and the turn goes on with its answer", async () => {
  const events = await elicitationTurn({ onElicitation: (request) => ({ action: 'accept', content: { answer: `blue, to "${request.message}"` } }) });
  expect(dataOf(events, 'elicitation.requested')).toMatchObject({ message: 'Favourite colour?', requestedSchema: { type: 'object' } });
  expect(dataOf(events, 'elicitation.completed')).toMatchObject({ action: 'accept', content: { answer: 'blue, to "Favourite colour?"' } });
  expect(answerText(events)).toBe('Elicitation answered: {"action":"accept","content":{"answer":"blue, to \\"Favourite colour?\\""}}');
});

it('sends a cancel for a handler that fails, and asks nothing of a client without a handler', async () => {
  const failing = await elicitationTurn({
    onElicitation: () => {
      throw new Error('form crashed');
    },
  });
  expect(dataOf(failing, 'elicitation.completed')).toMatchObject({ action: 'cancel' });
  const without = await elicitationTurn({});
  expect(without.some((event) => event.type.startsWith('elicitation.'))).toBe(false);
  expect(answerText(without)).toBe('Elicitation answered: {"action":"cancel"}');
});

it('emits the fields and order of the real CLI 1.0.102 recording', async () => {
  const recorded = readTranscriptRecords('cli-1.0.102/parity.jsonl').flatMap(({ msg }) => {
    const event = (msg as { method?: string; params?: { event?: { type: string; data: Record<string, unknown> } } }).params?.event;
    return (msg as { method?: string }).method === 'session.event' && event?.type.startsWith('elicitation.') ? [event] : [];
  });
  const fake = (await elicitationTurn({ onElicitation: () => ({ action: 'accept', content: { colour: 'teal' } }) })).filter((event) =>
    event.type.startsWith('elicitation.'),
  );
  const shape = (events: readonly { type: string; data: unknown }[]) => events.map((event) => [event.type, Object.keys(event.data as object).sort()]);
  expect(shape(fake)).toEqual(shape(recorded));
});
