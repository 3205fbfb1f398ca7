import * as t from 'io-ts';

/**
 * One method of the CLI's API, as the generated tables describe it: its wire name and the codecs of
 * its params and result. `paramsOptional` is true when a caller may leave the params out (for a
 * session method: when nothing but `sessionId` is required).
 */
export class RpcMethodSpec<P extends t.Mixed = t.Mixed, R extends t.Mixed = t.Mixed, Optional extends boolean = boolean> {
  constructor(
    readonly method: string,
    readonly params: P,
    readonly result: R,
    readonly paramsOptional: Optional,
  ) {}
}

/** The params of a method the schema gives none: an empty object is sent. */
export const NoParams = t.type({});
export type NoParams = t.TypeOf<typeof NoParams>;

/**
 * The result of a method whose schema promises none (no result, or `null`): any answer acknowledges
 * the call and reads as `undefined`. Agents differ in what they send for these (null, `{}`), and
 * there is nothing in it to check.
 */
export const VoidResult = new t.Type<void, unknown, unknown>('VoidResult', (_): _ is void => true, () => t.success(undefined), () => null);
export type VoidResult = t.TypeOf<typeof VoidResult>;

/** Used by the generated tables. */
export function rpcMethod<P extends t.Mixed, R extends t.Mixed, Optional extends boolean>(
  method: string,
  params: P,
  result: R,
  paramsOptional: Optional,
): RpcMethodSpec<P, R, Optional> {
  return new RpcMethodSpec(method, params, result, paramsOptional);
}

/** Used by the generated tables for a method without params. */
export function rpcMethodWithoutParams<R extends t.Mixed>(method: string, result: R): RpcMethodSpec<typeof NoParams, R, true> {
  return new RpcMethodSpec(method, NoParams, result, true);
}

/** Every method of a generated table, however deeply nested, in table order. */
export function listMethods(tree: object): RpcMethodSpec[] {
  return Object.values(tree).flatMap((node: unknown) =>
    node instanceof RpcMethodSpec ? [node] : typeof node === 'object' && node !== null ? listMethods(node) : [],
  );
}
