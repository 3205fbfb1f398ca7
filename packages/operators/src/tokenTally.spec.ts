import fc from 'fast-check';
import { loadTokenizer, type TokenEncoding, TokenTally } from './tokenTally';

// Characters chosen to hit every alternative of both split patterns and their lookaheads: letters of
// both cases, contractions, digit runs, whitespace runs before words, newlines and \r, punctuation
// runs with trailing newlines or '/', combining marks, CJK, emoji (surrogate pairs).
const alphabet = ['a', 'B', 'x', 'É', "'", 's', 'T', 'l', 'L', 'v', 'e', 'r', 'd', 'm', '1', '2', '3', ' ', ' ', '\t', '\n', '\r', '.', ',', '/', '!', '"', '-', '\u0301', '中', '🙂', '<|endoftext|>'];
const fragment = fc.array(fc.constantFrom(...alphabet), { maxLength: 8 }).map((chars) => chars.join(''));

describe('TokenTally', () => {
  it.each<TokenEncoding>(['o200k_base', 'cl100k_base'])('counts appended text exactly like tokenizing it whole (%s)', (encoding) => {
    const tokenizer = loadTokenizer(encoding);
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 40 }), (fragments) => {
        const tally = new TokenTally(tokenizer);
        for (const piece of fragments) tally.append(piece);
        expect(tally.count).toBe(tokenizer.count(fragments.join('')));
      }),
      { numRuns: 2000 },
    );
  });

  it('counts special-token text as plain text instead of throwing', () => {
    const tally = new TokenTally(loadTokenizer('o200k_base'));
    tally.append('a <|endoftext|> b');
    expect(tally.count).toBeGreaterThan(3);
  });

  it('counts long single pieces (capped tails) like tokenizing them whole, within 1 %', () => {
    const tokenizer = loadTokenizer('o200k_base');
    const runs = fc.tuple(fc.constantFrom('!?', '=-', '|---', ' ', 'a', 'é', '中文', '🙂', '\t '), fc.integer({ min: 100, max: 1500 }));
    fc.assert(
      fc.property(fc.array(runs, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 40 }), (parts, step) => {
        const text = parts.map(([unit, times]) => unit.repeat(times)).join('');
        const tally = new TokenTally(tokenizer);
        for (let i = 0; i < text.length; i += step) tally.append(text.slice(i, i + step));
        const whole = tokenizer.count(text);
        expect(Math.abs(tally.count - whole)).toBeLessThanOrEqual(Math.ceil(whole / 100));
      }),
      { numRuns: 60 },
    );
  });

  it('rejects an unknown encoding, naming it', () => {
    expect(() => loadTokenizer('p50k_base' as TokenEncoding)).toThrow('countTokens encoding must be o200k_base or cl100k_base. Got p50k_base');
  });
});
