import { tooDeepAt } from './jsonNesting';

describe('tooDeepAt', () => {
  it('finds where nesting first goes past the limit, in arrays and objects alike', () => {
    expect(tooDeepAt('{"a":[[1]]}', 3)).toBeUndefined();
    expect(tooDeepAt('{"a":[[[1]]]}', 3)).toBe(7);
    expect(tooDeepAt('{"a":{"b":{"c":{}}}}', 3)).toBe(15);
  });

  it('counts depth, not brackets: siblings at the limit are fine', () => {
    expect(tooDeepAt('[[1],[2],[3],{"x":[]}]', 3)).toBeUndefined();
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(tooDeepAt('{"a":"[[[[{{{{","b":"\\"[[[["}', 1)).toBeUndefined();
  });

  it('scans 200,000 open brackets without recursing', () => {
    expect(tooDeepAt('['.repeat(200_000), 8)).toBe(8);
  });
});
