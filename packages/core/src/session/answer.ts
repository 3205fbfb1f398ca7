import type { Observable } from 'rxjs';
import { quoteValue } from '../quoteValue.js';

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

/**
 * The message of anything thrown, for texts the model or the user reads. An Error's message and a
 * thrown string are the app's own words and kept whole; any other value is quoted, bounded.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return describeValue(error);
}

/**
 * A short description of any value, for error messages about what a handler returned or threw:
 * `quoteValue`'s, bounded in depth and length. A handler's value may be huge, deep, circular, or
 * have a million keys or a key a megabyte long; none of it is listed or copied whole.
 */
export function describeValue(value: unknown): string {
  return quoteValue(value, { maxDepth: 2 });
}
