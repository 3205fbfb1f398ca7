/** What an app says when it creates or resumes a session, and how that becomes wire params. */
import type {
  AutoModeSwitchResponse,
  ProviderConfig,
  SessionCreateParams,
  SystemMessageConfig,
} from '../codecs/methods/index.js';
import type { UserInputRequestParams, UserInputResponse } from '../codecs/methods/serverRequests.js';
import type { SessionEventData } from '../codecs/sessionEvent.js';
import type { Answer, HandlerContext } from './answer.js';
import type { HandlerKind } from '../errors.js';
import { DEFAULT_PROMPT_TIMEOUT_MS, type PermissionHandler } from './permissions.js';
import { declareTool, type Tool } from './tools.js';

export type UserInputHandler = (request: UserInputRequestParams, context: HandlerContext) => Answer<UserInputResponse>;

export type AutoModeSwitchRequest = SessionEventData<'auto_mode_switch.requested'>;

export type AutoModeSwitchHandler = (request: AutoModeSwitchRequest, context: HandlerContext) => Answer<AutoModeSwitchResponse>;

/**
 * How long each kind of handler may take to answer before copilot-rx sends the safe answer in its
 * place (tool: a failed result naming the timeout; permission: denied; user input: declined;
 * auto-mode switch: "no") and fires the handler's AbortSignal. In milliseconds; `Infinity`: no deadline.
 */
export interface HandlerTimeouts {
  /** Default: none. A tool may legitimately run for minutes (a build, a test run); bound it yourself. */
  readonly tool?: number;
  /** Default: DEFAULT_PROMPT_TIMEOUT_MS, 5 minutes (why: see its doc comment). */
  readonly permission?: number;
  /** Default: DEFAULT_PROMPT_TIMEOUT_MS, 5 minutes. */
  readonly userInput?: number;
  /** Default: DEFAULT_PROMPT_TIMEOUT_MS, 5 minutes. */
  readonly autoModeSwitch?: number;
}

export interface SessionConfig {
  /** Stream `assistant.message_delta` and friends. Default: true. */
  readonly streaming?: boolean;
  /** The model, e.g. "claude-sonnet-4.5"; the CLI picks one when absent. */
  readonly model?: string;
  readonly reasoningEffort?: 'low' | 'medium' | 'high' | 'xhigh' | 'max';
  /** Client-side tools the model may call (each types its own arguments, hence `any`). */
  readonly tools?: readonly Tool<any>[];
  /** A BYOK model provider for the whole session. */
  readonly provider?: ProviderConfig;
  readonly systemMessage?: SystemMessageConfig;
  /** Restrict the model's tools to these names (built-ins included). */
  readonly availableTools?: readonly string[];
  readonly excludedTools?: readonly string[];
  readonly workingDirectory?: string;
  readonly clientName?: string;
  readonly infiniteSessions?: SessionCreateParams['infiniteSessions'];
  /** Answers permission prompts. Default: deny every request, with a reason the model reads. */
  readonly onPermissionRequest?: PermissionHandler;
  /** Answers the `ask_user` tool. Without it the tool is not offered to the model. */
  readonly onUserInput?: UserInputHandler;
  /** Answers the offer to switch to auto mode after a rate limit. Default: "no", so the turn ends. */
  readonly onAutoModeSwitch?: AutoModeSwitchHandler;
  /** Answer deadlines of the handlers above and of the tools' handlers. */
  readonly handlerTimeouts?: HandlerTimeouts;
  /** Further `session.create` fields copilot-rx does not model, sent as they are. */
  readonly extraParams?: Readonly<Record<string, unknown>>;
}

/** The answer deadline of one kind of handler: the configured one, else the default (none for tools). */
export function handlerTimeout(config: SessionConfig, kind: HandlerKind): number | undefined {
  return config.handlerTimeouts?.[kind] ?? (kind === 'tool' ? undefined : DEFAULT_PROMPT_TIMEOUT_MS);
}

/** @throws RangeError naming the field, for a deadline that is not a positive number of ms (or Infinity). */
export function validateHandlerTimeouts(timeouts: HandlerTimeouts | undefined): void {
  for (const [kind, value] of Object.entries(timeouts ?? {})) {
    if (value !== undefined && (typeof value !== 'number' || !(value > 0))) {
      throw new RangeError(`handlerTimeouts.${kind} must be a positive number of milliseconds (or Infinity). Got ${String(value)}`);
    }
  }
}

/** The `session.create` / `session.resume` params for a config. */
export function toSessionParams(sessionId: string, config: SessionConfig): SessionCreateParams {
  const params: Record<string, unknown> = {
    ...config.extraParams,
    sessionId,
    streaming: config.streaming ?? true,
    // Every permission prompt reaches this client, which answers it (deny by default): with `false`
    // the CLI denies custom tools itself and the app could never approve them.
    requestPermission: true,
    requestUserInput: config.onUserInput !== undefined,
    requestAutoModeSwitch: false,
    requestExitPlanMode: false,
    hooks: false,
    envValueMode: 'direct',
  };
  const optional = {
    model: config.model,
    reasoningEffort: config.reasoningEffort,
    tools: config.tools?.map(declareTool),
    provider: config.provider,
    systemMessage: config.systemMessage,
    availableTools: config.availableTools,
    excludedTools: config.excludedTools,
    workingDirectory: config.workingDirectory,
    clientName: config.clientName,
    infiniteSessions: config.infiniteSessions,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) params[key] = value;
  return params as SessionCreateParams;
}
