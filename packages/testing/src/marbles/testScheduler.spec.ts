import { throwError } from 'rxjs';
import { createTestScheduler, normalizeErrors } from './testScheduler';

class SessionFailed extends Error {
  override readonly name = 'SessionFailed';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

describe('createTestScheduler', () => {
  it('passes when an error matches by class, name, message and own fields, whatever its stack', () => {
    const scheduler = createTestScheduler();
    const thrown = new SessionFailed('model failed', 500);
    const expected = new SessionFailed('model failed', 500);
    expected.stack = 'a completely different stack';
    scheduler.run(({ expectObservable }) => {
      expectObservable(throwError(() => thrown)).toBe('#', undefined, expected);
    });
  });

  it.each([
    ['message', new SessionFailed('other message', 500)],
    ['own field', new SessionFailed('model failed', 429)],
    ['class', Object.assign(new Error('model failed'), { code: 500 })],
  ])('fails when the %s differs', (_what, expected) => {
    const scheduler = createTestScheduler();
    expect(() =>
      scheduler.run(({ expectObservable }) => {
        expectObservable(throwError(() => new SessionFailed('model failed', 500))).toBe('#', undefined, expected);
      }),
    ).toThrow();
  });

  it('fails on different values, as jest would', () => {
    const scheduler = createTestScheduler();
    expect(() =>
      scheduler.run(({ cold, expectObservable }) => {
        expectObservable(cold('a|', { a: { text: 'Hello' } })).toBe('a|', { a: { text: 'Hell' } });
      }),
    ).toThrow(/Hell/);
  });

  it('asserts with a given assertDeepEqual, on normalised frames', () => {
    const calls: unknown[] = [];
    const scheduler = createTestScheduler({ assertDeepEqual: (actual, expected) => calls.push([actual, expected]) });
    scheduler.run(({ expectObservable }) => {
      expectObservable(throwError(() => new SessionFailed('x', 1))).toBe('#', undefined, new SessionFailed('x', 1));
    });
    const shape = { errorClass: 'SessionFailed', name: 'SessionFailed', message: 'x', fields: { name: 'SessionFailed', code: 1 } };
    expect(calls).toEqual([[[{ frame: 0, notification: { kind: 'E', value: undefined, error: shape } }], [{ frame: 0, notification: { kind: 'E', value: undefined, error: shape } }]]]);
  });
});

describe('normalizeErrors', () => {
  it('replaces errors nested in values, keeps a cause, and survives cycles', () => {
    const cause = new TypeError('root');
    const error = new Error('outer', { cause });
    const cyclic: Record<string, unknown> = { error };
    cyclic['self'] = cyclic;
    const normalized = normalizeErrors([cyclic]) as [{ error: unknown; self: unknown }];
    expect(normalized[0].error).toEqual({
      errorClass: 'Error',
      name: 'Error',
      message: 'outer',
      fields: { cause: { errorClass: 'TypeError', name: 'TypeError', message: 'root', fields: {} } },
    });
    expect(normalized[0].self).toBe(cyclic);
  });
});
