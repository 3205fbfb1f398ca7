import { derivedAnswerChunks, derivedReasoningChunks, estimateTokens, promptWords, splitIntoChunks } from './answerText';

describe('derived answers', () => {
  it('numbers the words of the prompt, markers left out, one word a chunk', () => {
    expect(derivedAnswerChunks('Count for me! [[chunks 5]]', 5)).toEqual(['Count-1', ' for-2', ' me-3', ' Count-4', ' for-5']);
  });

  it('gives different prompts different answers and the same prompt the same answer', () => {
    expect(derivedAnswerChunks('Alpha alpha', 3)).not.toEqual(derivedAnswerChunks('Beta beta', 3));
    expect(derivedAnswerChunks('Alpha alpha', 3)).toEqual(derivedAnswerChunks('Alpha alpha', 3));
  });

  it('falls back to a word of its own for a prompt that is only markers', () => {
    expect(promptWords('[[chunks 2]] [[tool t {"a":"b"}]]')).toEqual(['answer']);
  });

  it('derives reasoning chunks the same way', () => {
    expect(derivedReasoningChunks('Why', 2)).toEqual(['Thinking about Why (1).', ' Thinking about Why (2).']);
  });
});

describe('splitIntoChunks', () => {
  it('cuts a text into the asked number of near-equal pieces that add up to it', () => {
    const pieces = splitIntoChunks('Tool get_weather returned: Sunny', 5);
    expect(pieces).toHaveLength(5);
    expect(pieces.join('')).toBe('Tool get_weather returned: Sunny');
  });

  it('cuts into even pieces of at most 8 characters by default and never inside a surrogate pair', () => {
    expect(splitIntoChunks('0123456789abcdefXY')).toEqual(['012345', '6789ab', 'cdefXY']);
    expect(splitIntoChunks('😀😀😀', 3)).toEqual(['😀', '😀', '😀']);
  });
});

describe('estimateTokens', () => {
  it('counts one token per 4 characters, rounded up', () => {
    expect([0, 1, 4, 5, 400].map(estimateTokens)).toEqual([0, 1, 1, 2, 100]);
  });
});
