import { chatBody, contentOf, deltasOf, postChat, userMessage } from '../testSupport/chatClient';
import { startScriptedModelEndpoint, type ScriptedModelEndpoint } from './startScriptedModelEndpoint';

describe('scripted model endpoint: tool calls', () => {
  let endpoint: ScriptedModelEndpoint;
  beforeEach(async () => {
    endpoint = await startScriptedModelEndpoint();
  });
  afterEach(async () => {
    await endpoint.close();
  });

  it('streams [[tool NAME {args}]] in the wire format: name first, arguments in fragments, finish tool_calls', async () => {
    const reply = await postChat(endpoint, chatBody('Weather? [[tool get_weather {"city":"Paris"}]]'));
    const deltas = deltasOf(reply.frames);
    expect(deltas[0]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ index: 0, id: 'call_scripted_1', type: 'function', function: { name: 'get_weather', arguments: '' } }],
    });
    const fragments = deltas.slice(1).map((d) => (d['tool_calls'] as { index: number; function: { arguments: string } }[])[0]!);
    expect(fragments.length).toBeGreaterThan(1);
    expect(fragments.every((f) => f.index === 0)).toBe(true);
    expect(JSON.parse(fragments.map((f) => f.function.arguments).join(''))).toEqual({ city: 'Paris' });
    const finish = reply.frames.map((f) => (f as { choices?: { finish_reason?: string }[] }).choices?.[0]?.finish_reason).filter(Boolean);
    expect(finish).toEqual(['tool_calls']);
    expect(reply.frames.at(-1)).toBe('[DONE]');
  });

  it('streams several tool markers as several calls with their own index and id', async () => {
    const reply = await postChat(endpoint, chatBody('[[tool a {"n":1}]] [[tool b {"n":2}]]'));
    const starts = deltasOf(reply.frames)
      .flatMap((d) => (d['tool_calls'] as { index: number; id?: string; function: { name?: string } }[] | undefined) ?? [])
      .filter((call) => call.id !== undefined);
    expect(starts.map((c) => [c.index, c.id, c.function.name])).toEqual([
      [0, 'call_scripted_1', 'a'],
      [1, 'call_scripted_2', 'b'],
    ]);
  });

  it('answers the follow-up request that ends with the tool result with "Tool NAME returned: CONTENT"', async () => {
    const first = chatBody('Weather? [[tool get_weather {"city":"Paris"}]]');
    await postChat(endpoint, first);
    const followUp = {
      ...first,
      messages: [
        ...(first['messages'] as unknown[]),
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_scripted_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_scripted_1', content: 'Sunny in Paris, 21C' },
      ],
    };
    const reply = await postChat(endpoint, followUp);
    const contents = deltasOf(reply.frames).map((d) => d['content']);
    expect(contentOf(reply.frames)).toBe('Tool get_weather returned: Sunny in Paris, 21C');
    expect(contents.length).toBeGreaterThan(1);
    const finish = reply.frames.map((f) => (f as { choices?: { finish_reason?: string }[] }).choices?.[0]?.finish_reason).filter(Boolean);
    expect(finish).toEqual(['stop']);
  });

  it('answers a follow-up with several results one line each', async () => {
    const reply = await postChat(endpoint, {
      stream: true,
      messages: [
        userMessage('[[tool a]] [[tool b]]'),
        { role: 'assistant', content: null, tool_calls: [{ id: 'x', function: { name: 'a' } }, { id: 'y', function: { name: 'b' } }] },
        { role: 'tool', tool_call_id: 'x', content: 'one' },
        { role: 'tool', tool_call_id: 'y', content: 'two' },
      ],
    });
    expect(contentOf(reply.frames)).toBe('Tool a returned: one\nTool b returned: two');
  });

  it('folds a tool call into one chat.completion message when the request does not stream', async () => {
    const reply = await postChat(endpoint, chatBody('[[tool get_weather {"city":"Oslo"}]]', { stream: false }));
    expect(JSON.parse(reply.text).choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_scripted_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }],
        },
        finish_reason: 'tool_calls',
      },
    ]);
  });
});
