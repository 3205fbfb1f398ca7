import { chatBody, contentOf, deltasOf, postChat } from '../testSupport/chatClient';
import { chooseDemoTopic, demoAnswer, demoChunks, DEMO_PACE_MS } from './demoAnswer';
import { DEMO_TOPICS, FALLBACK_TOPIC } from './demoCorpus';
import { REASONING_FIELD } from './responsePlan';
import type { Pause } from './sseWriter';
import { startScriptedModelEndpoint } from './startScriptedModelEndpoint';

describe('the offline demo: prose for a prompt without markers', () => {
  it.each([
    ['Explain Observables in two sentences.', 'observables'],
    ['Write an essay on reactive streams.', 'essay'],
    ['Say hello in a few words.', 'greeting'],
    ['What is the weather in Paris?', 'tools'],
    ['How do I stream an answer to a WebSocket client?', 'websocket'],
    ['How does the Copilot CLI frame its JSON-RPC messages?', 'protocol'],
    ['Hello! How should I test my pipeline?', 'testing'],
    ['What is the history of pottery?', 'fallback'],
    ["Please create a detailed summary of the conversation so far. The history is being compacted so moving forward, all conversation history will be removed", 'summary'],
  ])('picks the topic the prompt mentions: %s -> %s', (prompt, topic) => {
    expect(chooseDemoTopic(prompt).id).toBe(topic);
  });

  it('honours the length the prompt asks for', () => {
    const twoSentences = demoAnswer('Explain Observables in two sentences.').answerChunks.join('');
    expect(twoSentences.split(/(?<=[.!?])\s+/)).toHaveLength(2);
    expect(twoSentences).toMatch(/^An Observable is a lazy stream of values over time/);
    expect(demoAnswer('Say hello in a few words.').answerChunks.join('')).toBe("Hello! I'm the offline demo model, streaming to you through the real Copilot CLI.");
    const whole = DEMO_TOPICS.find((t) => t.id === 'observables')!.answer;
    expect(demoAnswer('Tell me about Observables').answerChunks.join('')).toBe(whole);
  });

  it('cuts like a hosted model: whole words, one to three a chunk, unevenly, the text kept exactly', () => {
    for (const topic of [...DEMO_TOPICS, FALLBACK_TOPIC]) {
      const chunks = demoChunks(topic.answer);
      expect(chunks.join('')).toBe(topic.answer);
      const words = chunks.map((chunk) => chunk.trim().split(/\s+/).length);
      expect(Math.min(...words)).toBe(1);
      expect(Math.max(...words)).toBe(3);
      expect(chunks.slice(1).every((chunk) => /^\s/.test(chunk))).toBe(true);
    }
  });

  it('streams reasoning that reads like reasoning, then the answer, at the demo pace by default', async () => {
    const pauses: number[] = [];
    const pause: Pause = async (ms) => void pauses.push(ms);
    const endpoint = await startScriptedModelEndpoint({ pause });
    try {
      const reply = await postChat(endpoint, chatBody('Explain Observables in two sentences.'));
      const deltas = deltasOf(reply.frames);
      const reasoning = deltas.filter((d) => REASONING_FIELD in d).map((d) => d[REASONING_FIELD]);
      const expected = demoAnswer('Explain Observables in two sentences.');
      expect(reasoning).toEqual(expected.reasoningChunks);
      expect(reasoning.join('')).toMatch(/^The user is asking about Observables\./);
      expect(contentOf(reply.frames)).toBe(expected.answerChunks.join(''));
      expect(contentOf(reply.frames)).not.toMatch(/-\d/); // not the numbered words of a scripted answer
      expect(pauses.length).toBeGreaterThan(10);
      expect(new Set(pauses)).toEqual(new Set([DEMO_PACE_MS]));
    } finally {
      await endpoint.close();
    }
  });

  it('keeps the markers for tests: a marked prompt still gets the numbered words', async () => {
    const endpoint = await startScriptedModelEndpoint();
    try {
      const reply = await postChat(endpoint, chatBody('Explain Observables [[chunks 3]]'));
      expect(contentOf(reply.frames)).toBe('Explain-1 Observables-2 Explain-3');
    } finally {
      await endpoint.close();
    }
  });

  it('takes its pace from the scenario, and is checked like any other', async () => {
    const pauses: number[] = [];
    const endpoint = await startScriptedModelEndpoint({ defaultScenario: { kind: 'demo', paceMs: 1 }, pause: async (ms) => void pauses.push(ms) });
    try {
      await postChat(endpoint, chatBody('Hello'));
      expect(new Set(pauses)).toEqual(new Set([1]));
    } finally {
      await endpoint.close();
    }
    await expect(startScriptedModelEndpoint({ defaultScenario: { kind: 'demo', paceMs: -1 } })).rejects.toThrow('scenario.paceMs must be an integer of at least 0, got -1');
  });
});
