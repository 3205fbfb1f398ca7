import { isLeft } from 'fp-ts/lib/Either.js';
import { defer, firstValueFrom, map, type Observable } from 'rxjs';
import { reportErrors } from '../codecs/reportErrors.js';
import { RpcMethodSpec } from '../codecs/rpcMethod.js';
import type { RequestOptions } from '../rpc/connection.js';
import { InvalidParamsError, ResultDecodeError } from './errors.js';

/** Sends one request when subscribed and emits its raw result (cancelling it on unsubscribe). */
export type RpcSender = (method: string, params: object, options?: RequestOptions) => Observable<unknown>;

/**
 * Binds a generated table of methods to a sender. Namespaces and methods are bound on first access and
 * then kept, so a session whose `rpc` is never touched costs nothing, and one that is pays only for the
 * namespaces it uses (a session table has about fifty namespaces and three hundred methods).
 *
 * @param sessionId When given, every call's params get this `sessionId` (it wins over one in the params).
 */
export function bindRpc(tree: object, send: RpcSender, sessionId?: string): object {
  const bound = {};
  for (const [key, node] of Object.entries(tree)) {
    Object.defineProperty(bound, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = node instanceof RpcMethodSpec ? bindMethod(node, send, sessionId) : bindRpc(node as object, send, sessionId);
        Object.defineProperty(bound, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return bound;
}

function bindMethod(spec: RpcMethodSpec, send: RpcSender, sessionId: string | undefined) {
  const observe = (params?: object, options?: RequestOptions): Observable<unknown> =>
    defer(() => {
      const wire = sessionId === undefined ? (params ?? {}) : { ...params, sessionId };
      // Params left out were allowed by the types (nothing required); given ones are checked, so a
      // wrong type fails here, named, instead of as an opaque error from the CLI.
      if (params !== undefined) {
        const checked = spec.params.decode(wire);
        if (isLeft(checked)) throw new InvalidParamsError(spec.method, reportErrors(checked.left, 'params'));
      }
      return send(spec.method, wire, options).pipe(map((raw) => decodeResult(spec, raw)));
    });
  const call = (params?: object, options?: RequestOptions): Promise<unknown> => firstValueFrom(observe(params, options));
  return Object.assign(call, { $: observe, method: spec.method });
}

function decodeResult(spec: RpcMethodSpec, raw: unknown): unknown {
  const decoded = spec.result.decode(raw);
  if (isLeft(decoded)) throw new ResultDecodeError(spec.method, reportErrors(decoded.left, 'result'), raw);
  return decoded.right;
}
