/**
 * `session.eventLog.read` / `tail` and `session.metadata.isProcessing`, the catch-up API a client
 * uses after it re-attaches (protocol.md §2.4, "Reconnect and resume"). `waitMs` is not modelled: a
 * read returns at once, as the CLI's does when events are already there.
 */
import { RpcError, RpcErrorCode } from '../rpc/messages.js';
import { loadedSession, type MethodHandler } from './MethodContext.js';

const DEFAULT_MAX = 200;
const LIMIT = 1000;

export const eventLogRead: MethodHandler = (params, context) => {
  const session = loadedSession(params, context);
  const max = params.optionalNumber('max') ?? DEFAULT_MAX;
  if (!Number.isInteger(max) || max < 1 || max > LIMIT) {
    throw new RpcError(RpcErrorCode.InvalidParams, `Invalid params for ${params.method}: max must be an integer from 1 to ${LIMIT}. Got ${max}`);
  }
  const includeEphemeral = params.optionalBoolean('includeEphemeral') ?? true;
  return { result: session.eventLog.read(params.optionalString('cursor'), max, includeEphemeral) };
};

export const eventLogTail: MethodHandler = (params, context) => ({ result: { cursor: loadedSession(params, context).eventLog.tail() } });

export const isProcessing: MethodHandler = (params, context) => ({ result: { processing: loadedSession(params, context).busy } });
