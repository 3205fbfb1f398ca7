/**
 * @copilot-rx/core: the GitHub Copilot CLI's JSON-RPC server mode as RxJS Observables.
 */
export { CopilotRxClient, type SessionOptions, type ResumeOptions } from './client/CopilotRxClient';
export type { CopilotRxClientOptions } from './client/options';
export type { ConnectionState } from './client/state';
export { DEFAULT_MAX_CONCURRENT_TURNS, type TurnQueueState } from './client/turnLimiter';
export { PROTOCOL_VERSION } from './client/handshake';

export { RxSession, type SessionInfo } from './session/RxSession';
export type { SendOptions } from './session/turn';
export type { SessionConfig, UserInputHandler, AutoModeSwitchHandler, AutoModeSwitchRequest } from './session/config';
export { defineTool, normalizeToolResult, type Tool, type ToolInvocation, type ToolResult } from './session/tools';
export {
  approveAll,
  denyAll,
  DEFAULT_DENIAL_FEEDBACK,
  type PermissionHandler,
  type PermissionRequest,
  type NoResult,
} from './session/permissions';
export type { Answer } from './session/answer';
export type { AnswerFailure } from './session/host';

export * from './errors';
export * from './transport';
export * from './codecs';
export * from './codecs/methods';
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
export { decodeSessionEvent, decodeSessionEventNotification, decodeLifecycleNotification } from './events/decode';
export type { DecodeFailure, SessionEventNotification } from './events/decode';
export { BoundedIdWindow } from './events/idWindow';
export { UuidIdWindow } from './events/uuidIdWindow';
export { DEFAULT_DEDUPE_WINDOW } from './events/eventHub';
export type { RpcNotification } from './rpc/connection';
export { MalformedMessageError, type MalformedReason } from './rpc/malformed';
export { ofType } from './ofType';
export * from './interop';
