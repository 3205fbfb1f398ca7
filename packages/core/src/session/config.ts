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
import type { ElicitationHandler } from './elicitation.js';
import type { ExitPlanModeHandler } from './exitPlanMode.js';
import { hasHooks, type SessionHooks } from './hooks.js';
import type { McpAuthHandler } from './mcpAuth.js';
import {
  toWireCustomAgents,
  toWireMcpServers,
  type CustomAgentConfig,
  type DefaultAgentConfig,
  type McpServerConfig,
  type NamedProviderConfig,
  type ProviderModelConfig,
} from './mcpConfig.js';

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
  /** Default: DEFAULT_PROMPT_TIMEOUT_MS, 5 minutes (a form waits on a person). */
  readonly elicitation?: number;
  /** Default: DEFAULT_PROMPT_TIMEOUT_MS, 5 minutes. */
  readonly exitPlanMode?: number;
  /** Default: DEFAULT_HOOK_TIMEOUT_MS, 30 seconds: a hook runs in the agent's loop, with nobody to wait for. */
  readonly hook?: number;
  /** Default: DEFAULT_PROMPT_TIMEOUT_MS, 5 minutes (a sign-in in a browser). */
  readonly mcpAuth?: number;
}

/**
 * The default deadline of a hook: 30 s. A hook is code on the agent's path (before every tool call,
 * on every prompt), not a question to a person; one that hangs would stall every turn, so it gets the
 * safe answer (no output: the agent goes on unchanged) well before anyone would wait for it.
 */
export const DEFAULT_HOOK_TIMEOUT_MS = 30_000;

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
  /** Answers forms and URL requests to the user (`elicitation.requested`). Without it the CLI is told the client cannot. */
  readonly onElicitation?: ElicitationHandler;
  /**
   * Decides whether the agent may leave plan mode and act on its plan. Without it the CLI is not asked
   * to route the question here, and a direct request is answered "not approved".
   */
  readonly onExitPlanMode?: ExitPlanModeHandler;
  /** Hooks into the agent's loop (pre/post tool use, prompt submitted, session start/end, errors). */
  readonly hooks?: SessionHooks;
  /** Gives remote MCP servers their OAuth tokens (`mcp.oauth_required`); without it they are not signed in by this client. */
  readonly onMcpAuth?: McpAuthHandler;
  /** MCP servers for this session, by name: local processes or remote endpoints. */
  readonly mcpServers?: Readonly<Record<string, McpServerConfig>>;
  /** Names of configured MCP servers not to start for this session. */
  readonly disabledMcpServers?: readonly string[];
  /** Custom agents the model may delegate to. */
  readonly customAgents?: readonly CustomAgentConfig[];
  /** The custom agent (by name) the session runs as, instead of the default one. */
  readonly agent?: string;
  /** Settings of the default agent. */
  readonly defaultAgent?: DefaultAgentConfig;
  /** Directories to load skills from, and skill names not to load. */
  readonly skillDirectories?: readonly string[];
  readonly disabledSkills?: readonly string[];
  /** Directories to load custom instruction files from. */
  readonly instructionDirectories?: readonly string[];
  /**
   * Named model providers and the BYOK models they serve (selected as `provider/id`), instead of the
   * single `provider`: the CLI refuses both at once.
   */
  readonly providers?: readonly NamedProviderConfig[];
  readonly models?: readonly ProviderModelConfig[];
  /**
   * A GitHub token for this session alone (another user's, on a shared CLI). Sent only in
   * `session.create`/`session.resume`, never logged.
   */
  readonly gitHubToken?: string;
  /** Answer deadlines of the handlers above and of the tools' handlers. */
  readonly handlerTimeouts?: HandlerTimeouts;
  /** Further `session.create` fields copilot-rx does not model, sent as they are. */
  readonly extraParams?: Readonly<Record<string, unknown>>;
}

const DEFAULT_TIMEOUTS: Readonly<Record<keyof HandlerTimeouts, number | undefined>> = {
  tool: undefined,
  permission: DEFAULT_PROMPT_TIMEOUT_MS,
  userInput: DEFAULT_PROMPT_TIMEOUT_MS,
  autoModeSwitch: DEFAULT_PROMPT_TIMEOUT_MS,
  elicitation: DEFAULT_PROMPT_TIMEOUT_MS,
  exitPlanMode: DEFAULT_PROMPT_TIMEOUT_MS,
  hook: DEFAULT_HOOK_TIMEOUT_MS,
  mcpAuth: DEFAULT_PROMPT_TIMEOUT_MS,
};

/** The answer deadline of one kind of handler: the configured one, else the default (none for tools). */
export function handlerTimeout(config: SessionConfig, kind: HandlerKind): number | undefined {
  if (kind === 'listModels') return undefined;
  return config.handlerTimeouts?.[kind] ?? DEFAULT_TIMEOUTS[kind];
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
    requestElicitation: config.onElicitation !== undefined,
    requestExitPlanMode: config.onExitPlanMode !== undefined,
    hooks: hasHooks(config.hooks),
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
    mcpServers: toWireMcpServers(config.mcpServers),
    disabledMcpServers: config.disabledMcpServers,
    customAgents: toWireCustomAgents(config.customAgents),
    agent: config.agent,
    defaultAgent: config.defaultAgent,
    skillDirectories: config.skillDirectories,
    disabledSkills: config.disabledSkills,
    instructionDirectories: config.instructionDirectories,
    providers: config.providers,
    models: config.models,
    gitHubToken: config.gitHubToken,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) params[key] = value;
  return params as SessionCreateParams;
}
