/**
 * Session hooks: the CLI calls the client (`hooks.invoke`) at points of the agent's loop (before and
 * after a tool runs, when a prompt is submitted, when the session starts or ends, when an error
 * occurs) and acts on the answer. A hook handler returns a value, a Promise or an Observable (its last
 * value), checked with io-ts like every handler's answer; nothing (`undefined`) means "go on unchanged".
 * A handler that fails, answers garbage or misses its deadline (`handlerTimeouts.hook`) gets the safe
 * answer, an empty output (the agent goes on as if no hook were installed; permission prompts still
 * go to `onPermissionRequest`), reported on `client.answerFailures$`.
 */
import * as t from 'io-ts';
import { ToolResultObject } from '../codecs/methods/pending.js';
import type { Answer, HandlerContext } from './answer.js';

/** What every hook is told. The CLI sends `timestamp` as milliseconds since the epoch. */
export interface HookInputBase {
  readonly timestamp?: number;
  readonly cwd?: string;
  readonly [field: string]: unknown;
}

export interface PreToolUseInput extends HookInputBase {
  readonly toolName: string;
  readonly toolArgs: unknown;
}
export interface PostToolUseInput extends HookInputBase {
  readonly toolName: string;
  readonly toolArgs: unknown;
  readonly toolResult: ToolResultObject;
}
export interface UserPromptSubmittedInput extends HookInputBase {
  readonly prompt: string;
}
export interface SessionStartInput extends HookInputBase {
  /** "startup", "resume" or "new". */
  readonly source: string;
  readonly initialPrompt?: string;
}
export interface SessionEndInput extends HookInputBase {
  /** "complete", "error", "abort", "timeout" or "user_exit". */
  readonly reason: string;
  readonly finalMessage?: string;
  readonly error?: string;
}
export interface ErrorOccurredInput extends HookInputBase {
  /** CLI 1.0.81 and later send `{ name, message, stack }`; older ones a string. */
  readonly error: string | { readonly name?: string; readonly message?: string; readonly stack?: string };
  /** "model_call", "tool_execution", "system" or "user_input". */
  readonly errorContext: string;
  readonly recoverable: boolean;
}

const optional = <P extends t.Props>(props: P, name: string) => t.union([t.undefined, t.null, t.partial(props)], name);

/** Allow, deny or ask (the permission prompt) for the tool call; args and context to change. */
export const PreToolUseOutput = optional(
  {
    permissionDecision: t.keyof({ allow: null, deny: null, ask: null }),
    permissionDecisionReason: t.string,
    modifiedArgs: t.unknown,
    additionalContext: t.string,
    suppressOutput: t.boolean,
  },
  'PreToolUseOutput',
);
export const PostToolUseOutput = optional(
  { modifiedResult: ToolResultObject, additionalContext: t.string, suppressOutput: t.boolean },
  'PostToolUseOutput',
);
export const UserPromptSubmittedOutput = optional(
  { modifiedPrompt: t.string, additionalContext: t.string, suppressOutput: t.boolean },
  'UserPromptSubmittedOutput',
);
export const SessionStartOutput = optional({ additionalContext: t.string, modifiedConfig: t.UnknownRecord }, 'SessionStartOutput');
export const SessionEndOutput = optional(
  { suppressOutput: t.boolean, cleanupActions: t.array(t.string), sessionSummary: t.string },
  'SessionEndOutput',
);
export const ErrorOccurredOutput = optional(
  {
    suppressOutput: t.boolean,
    errorHandling: t.keyof({ retry: null, skip: null, abort: null }),
    retryCount: t.number,
    userNotification: t.string,
  },
  'ErrorOccurredOutput',
);

type Output<C extends t.Mixed> = t.TypeOf<C>;
type Hook<Input, C extends t.Mixed> = (input: Input, context: HandlerContext) => Answer<Output<C>>;

/** The hooks a session installs; each is optional, and only installed ones are called. */
export interface SessionHooks {
  readonly onPreToolUse?: Hook<PreToolUseInput, typeof PreToolUseOutput>;
  readonly onPostToolUse?: Hook<PostToolUseInput, typeof PostToolUseOutput>;
  readonly onUserPromptSubmitted?: Hook<UserPromptSubmittedInput, typeof UserPromptSubmittedOutput>;
  readonly onSessionStart?: Hook<SessionStartInput, typeof SessionStartOutput>;
  readonly onSessionEnd?: Hook<SessionEndInput, typeof SessionEndOutput>;
  readonly onErrorOccurred?: Hook<ErrorOccurredInput, typeof ErrorOccurredOutput>;
}

/** Each hook type the CLI names, with the handler field that answers it and the codec of its answer. */
export const HOOK_TABLE = {
  preToolUse: { handler: 'onPreToolUse', output: PreToolUseOutput },
  postToolUse: { handler: 'onPostToolUse', output: PostToolUseOutput },
  userPromptSubmitted: { handler: 'onUserPromptSubmitted', output: UserPromptSubmittedOutput },
  sessionStart: { handler: 'onSessionStart', output: SessionStartOutput },
  sessionEnd: { handler: 'onSessionEnd', output: SessionEndOutput },
  errorOccurred: { handler: 'onErrorOccurred', output: ErrorOccurredOutput },
} as const satisfies Record<string, { handler: keyof SessionHooks; output: t.Mixed }>;

/** True when at least one hook is installed: only then does the CLI call the client for hooks. */
export function hasHooks(hooks: SessionHooks | undefined): boolean {
  return hooks !== undefined && Object.values(hooks).some((handler) => typeof handler === 'function');
}
