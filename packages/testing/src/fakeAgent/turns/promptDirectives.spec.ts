import { derivedAnswerChunks } from '../../modelEndpoint/answerText';
import { scriptFromPrompt, PLAIN_ANSWER } from './promptDirectives';
import type { ReplyCall } from './TurnScript';

const context = { sessionId: 's', messageIndex: 0, tools: [] };
const script = (prompt: string) => scriptFromPrompt(prompt, context);

describe('scriptFromPrompt', () => {
  it('answers a prompt without markers with the recorded plain answer', () => {
    expect(script('Say hello')).toEqual({ calls: [{ kind: 'reply', text: PLAIN_ANSWER }] });
  });

  it('reads a tool marker with nested JSON arguments, then replies with the tool result', () => {
    const { calls } = script('Go [[tool lookup {"where":{"city":"Paris"}}]] now');
    expect(calls[0]).toEqual({ kind: 'tools', tools: [{ name: 'lookup', arguments: { where: { city: 'Paris' } } }] });
    const follow = calls[1] as ReplyCall;
    expect(typeof follow.text === 'function' && follow.text([{ toolCallId: 'c', toolName: 'lookup', success: true, content: 'Sunny' }])).toBe('Tool lookup returned: Sunny');
  });

  it('rejects tool arguments that are not a JSON object, quoting them', () => {
    expect(() => script('[[tool t [1,2]]]')).toThrow('[[tool t ...]] needs a JSON object of arguments. Got [1,2]');
    expect(() => script('[[tool t {"a":}]]')).toThrow(SyntaxError);
  });

  it.each([
    ['Count for me [[chunks 4]]', { chunks: ['Count-1', ' for-2', ' me-3', ' Count-4'], paceMs: 0 }],
    ['Two [[chunks 2]] [[pace 40]]', { chunks: ['Two-1', ' Two-2'], paceMs: 40 }],
    ['[[slow 2 50]]', { chunks: ['s0 ', 's1 '], paceMs: 50 }],
  ])('streams numbered chunks for %s', (prompt, expected) => {
    expect(script(prompt).calls[0]).toMatchObject({ kind: 'reply', ...expected });
  });

  it.each(['[[http400]]', '[[http 400]]'])('fails with the status code for %s', (prompt) => {
    expect(script(prompt).calls).toEqual([{ kind: 'error', statusCode: 400 }]);
  });

  it.each(['[[http429]]', '[[http 429]]'])('rate-limits for %s', (prompt) => {
    expect(script(prompt).calls).toEqual([{ kind: 'rateLimit' }]);
  });

  it('streams the scripted model endpoint\'s text for [[chunks N]], so both agents give one answer to a prompt', () => {
    const prompt = 'Alpha beta [[chunks 5]]';
    expect(script(prompt).calls[0]).toMatchObject({ kind: 'reply', text: derivedAnswerChunks(prompt, 5).join('') });
  });

  it('hangs after one delta for [[hang]]', () => {
    expect(script('Forever [[hang]]').calls).toEqual([{ kind: 'hang', partialText: 'Forever-1', chunks: 1 }]);
  });

  it('adds reasoning, compaction and crashes on request', () => {
    expect(script('[[reasoning 3]]').calls[0]).toMatchObject({ reasoning: { chunks: 3 } });
    expect(script('[[compact]]').compaction).toBe(true);
    expect(script('[[crash 7]]').calls[0]).toMatchObject({ kind: 'crash', exitCode: 7 });
  });
});
