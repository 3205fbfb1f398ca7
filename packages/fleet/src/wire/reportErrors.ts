/**
 * io-ts failures as short path messages (`decision.kind: expected ..., got "x"`). Not PathReporter:
 * it prints the whole type of every enclosing codec, kilobytes a line for the big unions.
 */
import type * as t from 'io-ts';
import { quote } from '../quote.js';

const MAX_MESSAGES = 3;
const MAX_TYPE_CHARS = 60;

export function reportErrors(errors: t.Errors): string[] {
  return errors.slice(0, MAX_MESSAGES).map((error) => {
    const path = error.context.map((entry) => entry.key).filter((key) => key !== '').join('.');
    const expected = error.context[error.context.length - 1]?.type.name ?? 'a value';
    const type = expected.length > MAX_TYPE_CHARS ? `${expected.slice(0, MAX_TYPE_CHARS)}…` : expected;
    return `${path || '(root)'}: expected ${type}, got ${quote(error.value)}`;
  });
}
