import fc from 'fast-check';
import { quoteValue } from './quoteValue';

/** `[[[...[leaf]...]]]`, `levels` deep, built without recursion (as JSON.parse would build it). */
function nested(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { k: value };
  return value;
}

describe('quoteValue', () => {
  it('quotes small values as JSON', () => {
    expect(quoteValue(5)).toBe('5');
    expect(quoteValue('a"b')).toBe('"a\\"b"');
    expect(quoteValue(null)).toBe('null');
    expect(quoteValue(undefined)).toBe('undefined');
    expect(quoteValue({ a: [1, 'x', true], b: {} })).toBe('{"a":[1,"x",true],"b":{}}');
  });

  it('shows three levels by default, and marks what is deeper', () => {
    expect(quoteValue({ a: { b: { c: { d: 1 } } } })).toBe('{"a":{"b":{"c":{…}}}}');
    expect(quoteValue([[[[1]]], []])).toBe('[[[[…]]],[]]');
    expect(quoteValue({ a: { b: 1 } }, { maxDepth: 1 })).toBe('{"a":{…}}');
  });

  it('does not overflow the stack on a value nested 20,000 levels deep', () => {
    // JSON.stringify throws RangeError here on Node 20 (the reason this function exists); Node 26's
    // V8 serialises it, all 40,000 characters of it. Either way a quote must stay a few characters.
    const deep = JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect(quoteValue(deep)).toBe('[[[[…]]]]');
    expect(quoteValue(nested(20_000))).toMatch(/^[[{]/);
  });

  it('cuts long output at the budget and marks the cut', () => {
    const quoted = quoteValue('x'.repeat(10_000_000));
    expect(quoted).toHaveLength(201);
    expect(quoted.endsWith('…')).toBe(true);
    expect(quoteValue(Array.from({ length: 100_000 }, (_, i) => i), { maxChars: 20 })).toBe('[0,1,2,3,4,5,6,7,8,9…');
  });

  it('never throws, and stays within its budget, for any JSON value or exotic one', () => {
    const throwing = new Proxy({}, { ownKeys: () => { throw new Error('no'); } });
    const getter = Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('no'); } });
    expect(quoteValue(getter)).toBe('{"x":?}');
    expect(() => quoteValue(throwing)).not.toThrow();
    expect(quoteValue(10n)).toBe('10n');
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 300 }), (value, maxDepth, maxChars) => {
        const quoted = quoteValue(value, { maxDepth, maxChars });
        expect(quoted.length).toBeLessThanOrEqual(maxChars + 1);
        // Nothing cut and nothing too deep: exactly the value's JSON.
        if (!quoted.includes('…')) expect(JSON.parse(quoted)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300, seed: 9 },
    );
  });
});
