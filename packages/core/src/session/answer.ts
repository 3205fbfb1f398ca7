import { from, isObservable, lastValueFrom, type Observable } from 'rxjs';

/** What an app's handler may return: a value, a Promise or an Observable of it. */
export type Answer<T> = T | PromiseLike<T> | Observable<T>;

/**
 * Settles a handler's answer to one value: an Observable's LAST value (so a handler can stream
 * progress and finish with the result), a Promise's value, or the value itself. A synchronous throw
 * becomes a rejection, so callers handle one failure path.
 */
export async function settle<T>(produce: () => Answer<T>, whenEmpty: T): Promise<T> {
  const answer = produce();
  if (isObservable(answer)) return lastValueFrom(from(answer), { defaultValue: whenEmpty });
  return await answer;
}

/** The message of anything thrown, for texts the model or the user reads. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
