import type * as t from 'io-ts';
import type { Observable } from 'rxjs';
import type { serverMethods, sessionMethods } from '../codecs/generated/api/index.js';
import type { RpcMethodSpec } from '../codecs/rpcMethod.js';
import type { RequestOptions } from '../rpc/connection.js';

/**
 * The argument list of a bound method: params may be left out when the schema requires none; options
 * (`timeoutMs`, default: the client's `requestTimeoutMs`) bound the wait for this one call.
 */
type ParamsArgs<Params, Optional extends boolean> = Optional extends true
  ? [params?: Params, options?: RequestOptions]
  : [params: Params, options?: RequestOptions];

/**
 * One method of the CLI's API, bound to a connection (or a session). Calling it sends the request at once
 * and resolves with the decoded result; `$` is the same call as a cold Observable.
 */
export interface RpcCall<Params, Result, Optional extends boolean> {
  /** Sends the request now; resolves with the result decoded by its schema codec. */
  (...params: ParamsArgs<Params, Optional>): Promise<Result>;
  /**
   * Cold: sends the request when subscribed, emits the decoded result and completes; every subscription
   * sends once. Unsubscribing before the answer cancels the request (`$/cancelRequest`).
   */
  $(...params: ParamsArgs<Params, Optional>): Observable<Result>;
  /** The method's name on the wire, e.g. `session.model.switchTo`. */
  readonly method: string;
}

/** Omit over each member of a union (plain Omit would keep only the members' common keys). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A generated table of methods, bound: every method an RpcCall, every namespace a nested object. */
export type BoundRpc<Tree, Scope extends 'server' | 'session'> = {
  readonly [K in keyof Tree]: Tree[K] extends RpcMethodSpec<infer P, infer R, infer Optional>
    ? RpcCall<Scope extends 'session' ? DistributiveOmit<t.TypeOf<P>, 'sessionId'> : t.TypeOf<P>, t.TypeOf<R>, Optional>
    : BoundRpc<Tree[K], Scope>;
};

/** Every server-scoped method of the CLI's API (`client.rpc`), by namespace. */
export type ServerRpc = BoundRpc<typeof serverMethods, 'server'>;

/** Every session-scoped method of the CLI's API (`session.rpc`), by namespace, the session's id filled in. */
export type SessionRpc = BoundRpc<typeof sessionMethods, 'session'>;
