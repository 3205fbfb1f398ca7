/**
 * The shape of every copilot-rx convenience over the CLI's API (`client.listSessions`,
 * `session.switchModel`...): the same as a generated `RpcCall`, a Promise when called and a cold
 * Observable with `.$`, so an app picks the form per use and never drops to `client.request`.
 */
import { defer, firstValueFrom, type Observable } from 'rxjs';

export interface Call<Args extends unknown[], Result> {
  /** Sends now; resolves with the typed result. */
  (...args: Args): Promise<Result>;
  /** Cold: sends when subscribed (once per subscription), cancels the request when unsubscribed first. */
  $(...args: Args): Observable<Result>;
}

/** Makes a Call from its Observable form; `observe` runs per subscription (deferred). */
export function call<Args extends unknown[], Result>(observe: (...args: Args) => Observable<Result>): Call<Args, Result> {
  const $ = (...args: Args): Observable<Result> => defer(() => observe(...args));
  return Object.assign((...args: Args) => firstValueFrom($(...args)), { $ });
}
