/**
 * A `TestScheduler` wired to jest's deep equality, with errors compared by what they mean rather than
 * where they were thrown: class, name, message and own fields, never the stack.
 */
import { TestScheduler, type RunHelpers } from 'rxjs/testing';

/** Compares a run's actual and expected frames; throws when they differ. */
export type DeepEqualAssertion = (actual: unknown, expected: unknown) => void;

export interface TestSchedulerConfig {
  /** Default: jest's `expect(actual).toEqual(expected)`, after normalising errors. */
  readonly assertDeepEqual?: DeepEqualAssertion;
}

/** The scheduler `sessionEvents()` uses while a `run()` callback of a `CopilotTestScheduler` is running. */
let running: TestScheduler | undefined;

/** The `CopilotTestScheduler` whose `run()` is in progress, if any. */
export function runningTestScheduler(): TestScheduler | undefined {
  return running;
}

/**
 * A `TestScheduler` that also makes itself the one `sessionEvents()` builds on during `run()`.
 * Created by `createTestScheduler()`.
 */
export class CopilotTestScheduler extends TestScheduler {
  override run<T>(callback: (helpers: RunHelpers) => T): T {
    const previous = running;
    running = this;
    try {
      return super.run(callback);
    } finally {
      running = previous;
    }
  }
}

/**
 * A TestScheduler for marble tests of copilot-rx pipelines, asserting with jest.
 *
 * Errors are compared by class, `name`, `message` and own fields (e.g. a `code`), so an expected
 * `new SessionError(...)` built in the test equals the one the pipeline threw, whatever the stacks.
 *
 * ## Example
 * ```ts
 * const scheduler = createTestScheduler();
 * scheduler.run(({ expectObservable }) => {
 *   const events$ = sessionEvents('-a-b-|', { a: ev.messageDelta('Hel'), b: ev.messageDelta('lo') });
 *   expectObservable(events$.pipe(map((e) => e.data.deltaContent))).toBe('-x-y-|', { x: 'Hel', y: 'lo' });
 * });
 * ```
 * @throws Error when no `assertDeepEqual` is given and jest's global `expect` is not there.
 */
export function createTestScheduler(config: TestSchedulerConfig = {}): CopilotTestScheduler {
  const assert = config.assertDeepEqual ?? jestToEqual();
  return new CopilotTestScheduler((actual, expected) => assert(normalizeErrors(actual), normalizeErrors(expected)));
}

interface JestExpect {
  (actual: unknown): { toEqual(expected: unknown): void };
}

function jestToEqual(): DeepEqualAssertion {
  const jestExpect = (globalThis as { expect?: JestExpect }).expect;
  if (typeof jestExpect !== 'function') {
    throw new Error("createTestScheduler() asserts with jest's global expect, which is not defined here; pass { assertDeepEqual } to use another test runner");
  }
  return (actual, expected) => jestExpect(actual).toEqual(expected);
}

/** What an error is compared by. */
export interface ErrorShape {
  readonly errorClass: string;
  readonly name: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Replaces every Error inside `value` (frames, notifications, values) by its `ErrorShape`. */
export function normalizeErrors(value: unknown): unknown {
  return normalize(value, new Set());
}

/** `ancestors` guards against cycles only; an object met twice side by side is normalised twice. */
function normalize(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value !== 'object' || value === null || ancestors.has(value)) return value;
  ancestors.add(value);
  try {
    if (value instanceof Error) return errorShape(value, ancestors);
    if (Array.isArray(value)) return value.map((item) => normalize(item, ancestors));
    if (Object.getPrototypeOf(value) !== Object.prototype) return value; // class instances keep their own equality
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = normalize(item, ancestors);
    return copy;
  } finally {
    ancestors.delete(value);
  }
}

function errorShape(error: Error, ancestors: Set<object>): ErrorShape {
  const fields: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(error)) {
    if (key === 'stack' || key === 'message') continue;
    fields[key] = normalize((error as unknown as Record<string, unknown>)[key], ancestors);
  }
  return { errorClass: error.constructor.name, name: error.name, message: error.message, fields };
}
