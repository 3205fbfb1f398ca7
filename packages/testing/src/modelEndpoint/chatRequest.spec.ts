import { ChatRequestError, parseChatRequest } from './chatRequest';

describe('parseChatRequest', () => {
  it('takes the newest user message as the prompt, without the datetime preamble', () => {
    const request = parseChatRequest({
      model: 'claude-sonnet-4.5',
      stream: true,
      messages: [
        { role: 'system', content: 'You are a test assistant.' },
        { role: 'user', content: '<current_datetime>2026-11-24T10:00:00Z</current_datetime>\n\nFirst' },
        { role: 'assistant', content: 'First-1' },
        { role: 'user', content: [{ type: 'text', text: '<current_datetime>2026-11-24T10:01:00Z</current_datetime>\n\n' }, { type: 'text', text: 'Second' }] },
      ],
    });
    expect(request).toMatchObject({ model: 'claude-sonnet-4.5', stream: true, prompt: 'Second', toolResults: [] });
  });

  it('counts the characters of every message content for the prompt tokens', () => {
    const request = parseChatRequest({ messages: [{ role: 'system', content: 'abcd' }, { role: 'user', content: 'efghij' }] });
    expect(request.promptChars).toBe(10);
  });

  it('says a request without stream: true does not stream', () => {
    expect(parseChatRequest({ messages: [{ role: 'user', content: 'x' }] }).stream).toBe(false);
  });

  it('reads the trailing tool results with the names of the calls they answer', () => {
    const request = parseChatRequest({
      messages: [
        { role: 'user', content: 'Weather? [[tool get_weather {"city":"Paris"}]]' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'Noon' }] },
      ],
    });
    expect(request.toolResults).toEqual([
      { toolCallId: 'call_1', name: 'get_weather', content: 'Sunny' },
      { toolCallId: 'call_2', name: 'get_time', content: 'Noon' },
    ]);
  });

  it('has no tool results when a user message follows the tool messages', () => {
    const request = parseChatRequest({
      messages: [
        { role: 'assistant', content: null, tool_calls: [{ id: 'c', function: { name: 't' } }] },
        { role: 'tool', tool_call_id: 'c', content: 'done' },
        { role: 'user', content: 'Next' },
      ],
    });
    expect(request.toolResults).toEqual([]);
    expect(request.prompt).toBe('Next');
  });

  it.each([
    [null, /must be a JSON object/],
    ['text', /must be a JSON object/],
    [{}, /"messages" must be a non-empty array, got nothing/],
    [{ messages: [] }, /"messages" must be a non-empty array, got \[\]/],
    [{ messages: [{ content: 'x' }] }, /messages\[0\] has no string "role"/],
  ])('rejects the body %j, saying what is wrong', (body, message) => {
    expect(() => parseChatRequest(body)).toThrow(ChatRequestError);
    expect(() => parseChatRequest(body)).toThrow(message);
  });
});
