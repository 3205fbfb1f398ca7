/**
 * @copilot-rx/core: the GitHub Copilot CLI's JSON-RPC server mode as RxJS Observables.
 */
export { CopilotRxClient, type SessionOptions, type ResumeOptions } from './client/CopilotRxClient.js';
export type { CopilotRxClientOptions } from './client/options.js';
export type { ConnectionState } from './client/state.js';
export type { ReconnectConfig } from './client/reconnect.js';
export type { ReplayOption, BackfillGap } from './client/durableSessions.js';
export { isReplayed } from './session/replayed.js';
export { DEFAULT_MAX_CONCURRENT_TURNS, type TurnQueueState } from './client/turnLimiter.js';
export { PROTOCOL_VERSION } from './client/handshake.js';

export { RxSession, type SessionInfo } from './session/RxSession.js';
export type { SendOptions, TurnOptions } from './session/turn.js';
export type {
  SessionConfig,
  HandlerTimeouts,
  UserInputHandler,
  AutoModeSwitchHandler,
  AutoModeSwitchRequest,
} from './session/config.js';
export { defineTool, normalizeToolResult, type Tool, type ToolInvocation, type ToolResult } from './session/tools.js';
export {
  approveAll,
  denyAll,
  DEFAULT_DENIAL_FEEDBACK,
  DEFAULT_PROMPT_TIMEOUT_MS,
  type PermissionHandler,
  type PermissionRequest,
  type NoResult,
} from './session/permissions.js';
export type { Answer, HandlerContext } from './session/answer.js';
export type { AnswerFailure, AnswerFailureReason } from './session/host.js';
export type { RequestOptions } from './rpc/connection.js';

export * from './errors.js';
export * from './transport/index.js';
export * from './codecs/index.js';
export * from './codecs/methods/index.js';
export {
  createServerRpc,
  createSessionRpc,
  ResultDecodeError,
  InvalidParamsError,
  type RpcCall,
  type BoundRpc,
  type ServerRpc,
  type SessionRpc,
  type RpcSender,
} from './rpcApi/index.js';
export { decodeSessionEvent, decodeSessionEventNotification, decodeLifecycleNotification } from './events/decode.js';
export type { DecodeFailure, SessionEventNotification } from './events/decode.js';
export { BoundedIdWindow } from './events/idWindow.js';
export { UuidIdWindow } from './events/uuidIdWindow.js';
export { DEFAULT_DEDUPE_WINDOW } from './events/eventHub.js';
export type { RpcNotification, RpcConnectionConfig } from './rpc/connection.js';
// The lower layer CopilotRxClient is built on, for clients of their own (docs/protocol-walkthrough.md).
export { RpcConnection, type RpcRequestHandler } from './rpc/connection.js';
export { MalformedMessageError, type MalformedReason } from './rpc/malformed.js';
export { ofType } from './ofType.js';
export * from './conveniences/index.js';
export * from './interop/index.js';
