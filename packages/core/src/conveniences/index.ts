/**
 * The official SDK's features beyond the generated RPC surface (core README, "official SDK →
 * copilot-rx"): conveniences over the CLI's API, session hooks and prompts, and session config.
 */
export type { Call } from './call.js';
export type { SessionManagement } from './sessionManagement.js';
export { DEFAULT_LIST_MODELS_TIMEOUT_MS, type RuntimeControls, type ListModelsHandler } from './runtimeControls.js';
export type { SwitchModel, LogToSession, ModelSwitchOptions, LogOptions } from './sessionControls.js';
export { CliStatus, AuthStatus, ForegroundSession, RequestRefusedError } from './unlistedMethods.js';
export {
  type SessionHooks,
  type HookInputBase,
  type PreToolUseInput,
  type PostToolUseInput,
  type UserPromptSubmittedInput,
  type SessionStartInput,
  type SessionEndInput,
  type ErrorOccurredInput,
  PreToolUseOutput,
  PostToolUseOutput,
  UserPromptSubmittedOutput,
  SessionStartOutput,
  SessionEndOutput,
  ErrorOccurredOutput,
} from '../session/hooks.js';
export { ElicitationAnswer, type ElicitationHandler, type ElicitationRequest } from '../session/elicitation.js';
export { NOT_APPROVED, type ExitPlanModeHandler, type ExitPlanModeRequest, type ExitPlanModeAnswer } from '../session/exitPlanMode.js';
export { McpAuthAnswer, type McpAuthHandler, type McpAuthRequest } from '../session/mcpAuth.js';
export type {
  McpServerConfig,
  LocalMcpServer,
  RemoteMcpServer,
  CustomAgentConfig,
  DefaultAgentConfig,
  NamedProviderConfig,
  ProviderModelConfig,
} from '../session/mcpConfig.js';
export { DEFAULT_HOOK_TIMEOUT_MS } from '../session/config.js';
export { genericToolFailure, type ToolWireDeclaration } from '../session/tools.js';
