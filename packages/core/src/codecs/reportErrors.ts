import type * as t from 'io-ts';
import { quoteValue } from '../quoteValue.js';

/** io-ts names an object codec by its whole type: a generated one's name runs to kilobytes. */
const TYPE_NAME_CHARS = 100;

/**
 * io-ts errors as short lines a person can act on: `data.previousModel: expected string, got null`.
 * (io-ts's PathReporter prints the whole type of every enclosing codec, kilobytes per line for the
 * generated event codecs.) Only the keys of objects, records and arrays make up the path; the
 * members of intersections and unions are steps of the codec, not of the data.
 */
export function reportErrors(errors: t.Errors, prefix = ''): string[] {
  const lines = errors.map((error) => {
    const path: string[] = prefix ? [prefix] : [];
    error.context.forEach((entry, index) => {
      const parent = error.context[index - 1];
      if (parent && isContainer(parent.type)) path.push(entry.key);
    });
    const expected = error.context[error.context.length - 1]?.type.name ?? 'a value';
    return `${path.join('.') || '(root)'}: expected ${cut(expected, TYPE_NAME_CHARS)}, got ${describe(error.value)}`;
  });
  return [...new Set(lines)];
}

function isContainer(type: t.Decoder<unknown, unknown>): boolean {
  const tag = (type as { _tag?: string })._tag;
  return tag === 'InterfaceType' || tag === 'PartialType' || tag === 'DictionaryType' || tag === 'ArrayType' || tag === 'ReadonlyArrayType' || tag === 'ExactType' || tag === 'StrictType';
}

/** The value that broke the codec, bounded: it came from the CLI and may be nested 20,000 levels deep. */
function describe(value: unknown): string {
  return value === undefined ? 'nothing' : quoteValue(value, { maxChars: 80 });
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
