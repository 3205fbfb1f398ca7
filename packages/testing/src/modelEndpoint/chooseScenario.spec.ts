import { parseChatRequest } from './chatRequest';
import { chooseScenario } from './chooseScenario';
import type { Scenario } from './scenario';

const request = (prompt: string, toolResult?: string) =>
  parseChatRequest({
    messages: [
      { role: 'user', content: prompt },
      ...(toolResult === undefined
        ? []
        : [
            { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
            { role: 'tool', tool_call_id: 'c1', content: toolResult },
          ]),
    ],
  });

describe('chooseScenario', () => {
  const fallback: Scenario = { kind: 'text', chunks: 9 };

  it('takes the queue first, removing what it takes', () => {
    const queue: Scenario[] = [{ kind: 'hang' }];
    expect(chooseScenario(request('[[chunks 2]]', 'Sunny'), queue, fallback)).toEqual({ kind: 'hang' });
    expect(queue).toEqual([]);
  });

  it('answers a tool result rather than calling the tool of the prompt again, at the prompt pace', () => {
    expect(chooseScenario(request('[[tool get_weather {"city":"Paris"}]] [[pace 20]]', 'Sunny'), [], fallback)).toEqual({
      kind: 'text',
      text: 'Tool get_weather returned: Sunny',
      paceMs: 20,
    });
  });

  it('answers a tool result even when the prompt markers are malformed (an enqueued call)', () => {
    expect(chooseScenario(request('[[oops]]', 'Sunny'), [], fallback)).toEqual({ kind: 'text', text: 'Tool get_weather returned: Sunny' });
  });

  it('reads the prompt markers, then falls back to the default', () => {
    expect(chooseScenario(request('[[http 502]]'), [], fallback)).toEqual({ kind: 'http', status: 502 });
    expect(chooseScenario(request('Plain'), [], fallback)).toBe(fallback);
  });
});
