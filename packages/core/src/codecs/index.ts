export * from './sessionEvent.js';
export * from './lifecycle.js';
export { openEnum, type OpenEnum } from './openEnum.js';
/** Every generated data codec and type of the schema, e.g. `EventCodecs.AssistantMessageData`. */
export * as EventCodecs from './generated/index.js';
/**
 * Every generated codec of the CLI's API schema (params and results of every method, e.g.
 * `RpcCodecs.ModelSwitchToResult`) and the method tables `client.rpc` and `session.rpc` are bound from.
 */
export * as RpcCodecs from './generated/api/index.js';
export { RpcMethodSpec, NoParams, VoidResult } from './rpcMethod.js';
