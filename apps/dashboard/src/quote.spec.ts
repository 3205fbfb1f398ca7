import { quote, shorten } from './quote';

/** [[[...]]] nested `depth` levels, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

describe('quote', () => {
  it.each<[unknown]>([['Paris'], [42], [true], [null], [{ city: 'Oslo', days: [1, 2] }], [[]], [{}], ['say "hi"\n']])(
    'writes a short, shallow value %j exactly as JSON.stringify does',
    (value) => {
      expect(quote(value)).toBe(JSON.stringify(value));
    },
  );

  it('describes 20,000 nested arrays in a few characters instead of overflowing the stack', () => {
    // JSON.stringify overflows the stack here on Node 20; Node 26's V8 writes all of it. A quote
    // must stay a few characters either way.
    const value = nested(20_000);
    expect(quote(value)).toBe('[[[[…]]]]');
    expect(quote({ a: { b: { c: { d: 1 } } } })).toBe('{"a":{"b":{"c":{…}}}}');
  });

  it('cuts long output at maxChars with "…", however big the value', () => {
    expect(quote('x'.repeat(1_000_000))).toBe(`"${'x'.repeat(79)}…`);
    expect(quote(Array.from({ length: 100_000 }, (_, i) => i), { maxChars: 20 })).toBe('[0,1,2,3,4,5,6,7,8,9…');
    const wide = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`key${i}`, i]));
    expect(quote(wide, { maxChars: 24 })).toBe('{"key0":0,"key1":1,"key2…');
  });

  it('never throws: a cycle is cut by depth, a throwing getter is named', () => {
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(quote(cycle)).toBe('{"self":{"self":{"self":{…}}}}');
    const hostile = Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    expect(quote(hostile)).toBe('(a value that cannot be shown)');
  });

  it('shows what JSON has no text for as its String()', () => {
    expect(quote(undefined)).toBe('undefined');
    expect(quote(10n)).toBe('10');
  });
});

describe('shorten', () => {
  it('leaves short text alone and cuts long text with "…", never inside a surrogate pair', () => {
    expect(shorten('abc', 3)).toBe('abc');
    expect(shorten('abcd', 3)).toBe('abc…');
    expect(shorten('ab😀d', 3)).toBe('ab…');
  });
});
