/**
 * The typed RPC surface: every method of the CLI's API schema, bound to a connection (`client.rpc`) or
 * to one session (`session.rpc`), each call a Promise and, with `.$`, a cold Observable. The method
 * tables and codecs are generated (codecs/generated/api); only the binding is written here.
 */
import { serverMethods, sessionMethods } from '../codecs/generated/api/index.js';
import { bindRpc, type RpcSender } from './bindRpc.js';
import type { ServerRpc, SessionRpc } from './RpcCall.js';

export type { RpcCall, BoundRpc, ServerRpc, SessionRpc } from './RpcCall.js';
export type { RpcSender } from './bindRpc.js';
export { ResultDecodeError, InvalidParamsError } from './errors.js';

/** The server-scoped methods, sending through `send`. */
export function createServerRpc(send: RpcSender): ServerRpc {
  return bindRpc(serverMethods, send) as ServerRpc;
}

/** The session-scoped methods of one session, sending through `send` with its `sessionId` filled in. */
export function createSessionRpc(sessionId: string, send: RpcSender): SessionRpc {
  return bindRpc(sessionMethods, send, sessionId) as SessionRpc;
}
