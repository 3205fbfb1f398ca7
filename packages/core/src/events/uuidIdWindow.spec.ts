import fc from 'fast-check';
import { BoundedIdWindow } from './idWindow';
import { UuidIdWindow } from './uuidIdWindow';

describe('UuidIdWindow', () => {
  it('answers exactly like BoundedIdWindow on streams of UUIDs with repeats, evictions included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.uniqueArray(fc.uuid().map((id) => id.toLowerCase()), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 300 }),
        (capacity, pool, picks) => {
          const reference = new BoundedIdWindow(capacity);
          const window = new UuidIdWindow(capacity);
          for (const pick of picks) {
            const id = pool[pick % pool.length]!;
            expect(window.add(id)).toBe(reference.add(id));
          }
          expect(window.size).toBe(reference.size);
        },
      ),
    );
  });

  it('keeps ids that are not canonical lowercase UUIDs apart, each kind with its own window', () => {
    const window = new UuidIdWindow(4);
    const lower = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const upper = lower.toUpperCase();
    const moved = '0f8fad5bd-9cb-469f-a165-70867728950e'; // the same hex digits, dashes elsewhere
    expect(window.add(lower)).toBe(true);
    expect(window.add(upper)).toBe(true); // a different string, so a different id
    expect(window.add(moved)).toBe(true);
    expect(window.add('evt-1')).toBe(true);
    expect(window.add(lower)).toBe(false);
    expect(window.add(upper)).toBe(false);
    expect(window.add('evt-1')).toBe(false);
  });

  it('forgets the oldest id once it holds capacity ids', () => {
    const window = new UuidIdWindow(3);
    const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004'];
    for (const id of ids) expect(window.add(id)).toBe(true);
    expect(window.add(ids[0]!)).toBe(true); // evicted by the fourth
    expect(window.add(ids[3]!)).toBe(false);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new UuidIdWindow(0)).toThrow(RangeError);
  });
});
