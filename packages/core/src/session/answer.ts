import type { Observable } from 'rxjs';

/** What an app's handler may return: a value, a Promise or an Observable of it (its LAST value counts). */
export type Answer<T> = T | PromiseLike<T> | Observable<T>;

/** What every session handler (permission, user input, auto-mode switch) is told besides the request. */
export interface HandlerContext {
  readonly sessionId: string;
  /**
   * Fires when the answer is no longer wanted: the handler's deadline passed (`handlerTimeouts`, the
   * reason is a HandlerTimeoutError and the safe answer was already sent), the turn was aborted, or
   * the session closed.
   */
  readonly signal: AbortSignal;
}

/** The message of anything thrown, for texts the model or the user reads. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return describeValue(error);
}

const MAX_STRING = 80;
const MAX_KEYS = 6;
const MAX_DEPTH = 2;

/**
 * A short description of any value, for error messages about what a handler returned. Bounded in
 * depth, keys and length, and never runs getters' side effects beyond own enumerable keys: a handler's
 * value may be huge, deep or circular.
 */
export function describeValue(value: unknown, depth = 0): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value);
  }
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object') return String(value);
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[…]' : '{…}';
  try {
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_KEYS).map((item) => describeValue(item, depth + 1));
      return `[${items.join(', ')}${value.length > MAX_KEYS ? ', …' : ''}]`;
    }
    const keys = Object.keys(value);
    const fields = keys
      .slice(0, MAX_KEYS)
      .map((key) => `${key}: ${describeValue((value as Record<string, unknown>)[key], depth + 1)}`);
    return `{${fields.join(', ')}${keys.length > MAX_KEYS ? ', …' : ''}}`;
  } catch {
    return 'an unreadable object';
  }
}
