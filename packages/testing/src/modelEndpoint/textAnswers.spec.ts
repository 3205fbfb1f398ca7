import { chatBody, contentOf, deltasOf, postChat } from '../testSupport/chatClient';
import { startScriptedModelEndpoint, type ScriptedModelEndpoint } from './startScriptedModelEndpoint';

describe('scripted model endpoint: text answers over SSE', () => {
  let endpoint: ScriptedModelEndpoint;
  beforeEach(async () => {
    endpoint = await startScriptedModelEndpoint();
  });
  afterEach(async () => {
    await endpoint.close();
  });

  it('streams the exact chat-completions SSE format: role first, stop, usage, [DONE]', async () => {
    const body = chatBody('Count for me [[chunks 3]]');
    const promptTokens = Math.ceil((body['messages'] as { content: string }[]).reduce((sum, m) => sum + m.content.length, 0) / 4);
    const reply = await postChat(endpoint, body);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/event-stream');
    const chunk = (choices: unknown[], extra = {}) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-scripted-1', object: 'chat.completion.chunk', created: 0, model: 'claude-sonnet-4.5', choices, ...extra })}\n\n`;
    const delta = (d: object) => chunk([{ index: 0, delta: d, finish_reason: null }]);
    expect(reply.text).toBe(
      delta({ role: 'assistant', content: 'Count-1' }) +
        delta({ content: ' for-2' }) +
        delta({ content: ' me-3' }) +
        chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]) +
        chunk([], { usage: { prompt_tokens: promptTokens, completion_tokens: 5, total_tokens: promptTokens + 5 } }) +
        'data: [DONE]\n\n',
    );
  });

  it('sends exactly N content chunks for [[chunks N]], whose concatenation is the answer', async () => {
    const reply = await postChat(endpoint, chatBody('Count for me [[chunks 40]]'));
    const contents = deltasOf(reply.frames).map((d) => d['content']);
    expect(contents).toHaveLength(40);
    expect(contents.every((c) => typeof c === 'string' && c.length > 0)).toBe(true);
    expect(contents.join('')).toBe(contentOf(reply.frames));
    expect(contentOf(reply.frames)).toMatch(/^Count-1 for-2 me-3 Count-4 .* Count-40$/);
  });

  it('answers a prompt without markers with a short text of 4 chunks when the default is { kind: "text" }', async () => {
    const textDefault = await startScriptedModelEndpoint({ defaultScenario: { kind: 'text' } });
    try {
      const reply = await postChat(textDefault, chatBody('Say hello'));
      expect(contentOf(reply.frames)).toBe('Say-1 hello-2 Say-3 hello-4');
    } finally {
      await textDefault.close();
    }
  });

  it('derives the answer from the prompt: different prompts, different answers', async () => {
    const alpha = await postChat(endpoint, chatBody('Alpha alpha [[chunks 6]]'));
    const beta = await postChat(endpoint, chatBody('Beta beta [[chunks 6]]'));
    expect(contentOf(alpha.frames)).not.toBe(contentOf(beta.frames));
    expect(contentOf(alpha.frames)).toBe(contentOf((await postChat(endpoint, chatBody('Alpha alpha [[chunks 6]]'))).frames));
  });

  it('answers the newest user message of a conversation', async () => {
    const body = chatBody('Second [[chunks 2]]');
    const messages = body['messages'] as unknown[];
    messages.splice(1, 0, { role: 'user', content: 'First [[http 500]]' }, { role: 'assistant', content: 'First-1' });
    const reply = await postChat(endpoint, body);
    expect(reply.status).toBe(200);
    expect(contentOf(reply.frames)).toBe('Second-1 Second-2');
  });

  it('streams [[reasoning N]] as N reasoning_text chunks before the text', async () => {
    const reply = await postChat(endpoint, chatBody('Why [[reasoning 2]] [[chunks 1]]'));
    expect(deltasOf(reply.frames)).toEqual([
      { role: 'assistant', reasoning_text: 'Thinking about Why (1).' },
      { reasoning_text: ' Thinking about Why (2).' },
      { content: 'Why-1' },
    ]);
  });

  it('counts completion tokens as characters / 4 of the answer and reasoning, prompt tokens of all messages', async () => {
    const body = chatBody('Tokens please [[chunks 10]] [[reasoning 1]]');
    const reply = await postChat(endpoint, body);
    const usage = (reply.frames.find((f) => (f as { usage?: unknown }).usage) as { usage: Record<string, number> }).usage;
    const answerChars = deltasOf(reply.frames).reduce((sum, d) => sum + String(d['content'] ?? d['reasoning_text']).length, 0);
    const promptChars = (body['messages'] as { content: string }[]).reduce((sum, m) => sum + m.content.length, 0);
    expect(usage).toEqual({
      prompt_tokens: Math.ceil(promptChars / 4),
      completion_tokens: Math.ceil(answerChars / 4),
      total_tokens: Math.ceil(promptChars / 4) + Math.ceil(answerChars / 4),
    });
  });

  it('answers a request that does not stream with one chat.completion JSON', async () => {
    const reply = await postChat(endpoint, chatBody('Quiet [[chunks 3]] [[reasoning 1]]', { stream: undefined }));
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(reply.text)).toEqual({
      id: 'chatcmpl-scripted-1',
      object: 'chat.completion',
      created: 0,
      model: 'claude-sonnet-4.5',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Quiet-1 Quiet-2 Quiet-3', reasoning_text: 'Thinking about Quiet (1).' },
          finish_reason: 'stop',
        },
      ],
      usage: expect.objectContaining({ completion_tokens: Math.ceil('Thinking about Quiet (1).Quiet-1 Quiet-2 Quiet-3'.length / 4) }),
    });
  });

  it('waits the [[pace MS]] between chunks, through the pause it was given, and not after the last', async () => {
    await endpoint.close();
    const pauses: { ms: number; release: () => void }[] = [];
    const requested = jestSignal();
    endpoint = await startScriptedModelEndpoint({
      pause: (ms) =>
        new Promise<void>((release) => {
          pauses.push({ ms, release });
          requested.notify();
        }),
    });
    const reply = postChat(endpoint, chatBody('Slow [[chunks 3]] [[pace 250]]'));
    for (let released = 0; released < 2; released++) {
      await requested.next();
      expect(pauses).toHaveLength(released + 1);
      pauses[released]!.release();
    }
    const { frames } = await reply;
    expect(pauses.map((p) => p.ms)).toEqual([250, 250]);
    expect(contentOf(frames)).toBe('Slow-1 Slow-2 Slow-3');
  });
});

/** Resolves `next()` each time `notify()` is called (notifications queue up, none is lost). */
function jestSignal(): { notify(): void; next(): Promise<void> } {
  let count = 0;
  const waiting: (() => void)[] = [];
  return {
    notify: () => (waiting.length > 0 ? waiting.shift()!() : count++),
    next: () => (count > 0 ? (count--, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve))),
  };
}
