/**
 * The script of one user message: what the fake agent's "model" does in each call of the agent loop.
 * Plain data (plus an optional text function), so scripts can be written by hand, built with the
 * helpers in `dsl.ts`, or loaded from a module by the `copilot-rx-fake-agent` bin.
 */

/** What the fake agent does for one `session.send`. */
export interface TurnScript {
  /** The model calls of the agent loop, in order; each is one `assistant.turn_start` … `assistant.turn_end`. */
  readonly calls: readonly ModelCall[];
  /**
   * Background compaction alongside the turn (protocol.md §7.4): `session.compaction_start` right after
   * the first `assistant.turn_start`, `session.compaction_complete` after the last `assistant.turn_end`,
   * before the idle events. Default: none.
   */
  readonly compaction?: boolean;
  /**
   * What happens to the idle events when this turn is aborted (protocol.md §5.4). Default `'immediate'`.
   * - `'immediate'`: `assistant.idle {aborted:true}` and `session.idle {aborted:true}` right away.
   * - `'stale'`: `assistant.idle {aborted:true}` right away; the aborted loop's `session.idle
   *   {aborted:true}` is held back and sent right after the **next** `session.send` is answered, where a
   *   naive "wait for the next idle" takes it for the new message's.
   * - `'merged'`: no `session.idle` for the aborted loop; the next message's idle is the only one.
   */
  readonly idleAfterAbort?: 'immediate' | 'stale' | 'merged';
}

export type ModelCall = ReplyCall | ToolCallsCall | QueryErrorCall | RateLimitCall | CrashCall | HangCall | ElicitCall;

/**
 * Something asks the user to fill in a form (an MCP server's `elicitation/create`, as a real CLI forwards
 * it): `elicitation.requested`, the client's `session.ui.handlePendingElicitation`, `elicitation.completed`.
 * The answer joins the message's tool outcomes (`toolName` "elicitation"), so a following reply can quote
 * it. A client that did not attach with `requestElicitation` is never asked: the outcome is a cancel.
 */
export interface ElicitCall {
  readonly kind: 'elicit';
  readonly message: string;
  /** The form's JSON Schema. Default: one required string field, `answer`. */
  readonly requestedSchema?: Readonly<Record<string, unknown>>;
  /** Who asks (`elicitationSource`), as an MCP server's name. Default "fake-mcp". */
  readonly source?: string;
}

/** How to cut a text into deltas: a count of near-equal chunks, or the chunks themselves. */
export type Chunking = number | readonly string[];

/** The model answers with text (streamed as deltas when the session has `streaming: true`). */
export interface ReplyCall {
  readonly kind: 'reply';
  /** The answer, or a function of the outcomes of the tools run so far for this message. */
  readonly text: string | ((tools: readonly ToolOutcome[]) => string);
  /** Default: 8-character chunks, as the recorded fake model streamed them. */
  readonly chunks?: Chunking;
  /** Time before each chunk, in ms of the agent's scheduler. Default 0. */
  readonly paceMs?: number;
  /** Reasoning streamed before the text (`assistant.reasoning_delta`s, then `assistant.reasoning`). */
  readonly reasoning?: { readonly text: string; readonly chunks?: Chunking };
  /**
   * Re-send already delivered events with their original ids, as the real CLI does when a client
   * lags (real-cli.md §5.1): after chunk `afterChunk` (1-based), the last `count` delivered events.
   */
  readonly resend?: { readonly afterChunk: number; readonly count: number };
  /** Fields merged into this call's `assistant.usage` data (token counts, cost, ...). */
  readonly usage?: Readonly<Record<string, unknown>>;
}

/** A tool the model asks for. */
export interface ToolCallSpec {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  /** Default: `call_fake_<n>`, counting per session. */
  readonly toolCallId?: string;
  /**
   * Runs a tool the client did not declare as one of the agent's own (like `bash`): no
   * `external_tool.requested`, the scripted output instead. Without it an undeclared tool fails with
   * "Tool '<name>' does not exist." as on the real CLI.
   */
  readonly builtIn?: BuiltInToolScript;
}

export interface BuiltInToolScript {
  /** The tool's result text. */
  readonly result: string;
  /** Default true; false completes the tool with `error: {message: result, code: 'failure'}`. */
  readonly success?: boolean;
  /** Streamed as `tool.execution_partial_result` before the result. */
  readonly partialOutput?: readonly string[];
  /** Sent as `tool.execution_progress` before the partial output. */
  readonly progress?: readonly string[];
  /** Time before each progress or partial-output event, in ms. Default 0. */
  readonly paceMs?: number;
}

/** The model asks for tools; each runs (permission, client call) before the next model call. */
export interface ToolCallsCall {
  readonly kind: 'tools';
  readonly tools: readonly ToolCallSpec[];
  /** Text said alongside the tool requests (`assistant.message.content`). Default ''. */
  readonly text?: string;
  /** Time before the call's first event, in ms. Default 0. */
  readonly paceMs?: number;
}

/**
 * The model endpoint fails (e.g. HTTP 400): `session.error` after `assistant.turn_end`, then the loop
 * ends and the session goes idle. The real CLI retries 5xx first; the fake reports at once.
 */
export interface QueryErrorCall {
  readonly kind: 'error';
  readonly statusCode: number;
  /** Default `'query'`. */
  readonly errorType?: string;
  /** Default: `Execution failed: <status> fake upstream failure (<status>)`, as recorded for a 400. */
  readonly message?: string;
}

/**
 * A 429 on the Copilot API: `session.error {errorType:'rate_limit', eligibleForAutoSwitch:true}`, then
 * `auto_mode_switch.requested`; the session does not go idle until the client answers with
 * `session.ui.handlePendingAutoModeSwitch` (real-cli.md §4c).
 */
export interface RateLimitCall {
  readonly kind: 'rateLimit';
  readonly retryAfterSeconds?: number;
  readonly message?: string;
}

/**
 * The agent process dies: optionally after streaming part of an answer, every connection ends
 * abruptly, and (as a process) the agent writes `stderr` and exits with `exitCode`.
 */
export interface CrashCall {
  readonly kind: 'crash';
  /** Default 1. */
  readonly exitCode?: number;
  /** Default "fatal: the fake Copilot agent crashed (scripted)". */
  readonly stderr?: string;
  /** Text streamed before the crash. */
  readonly partialText?: string;
  readonly chunks?: Chunking;
  readonly paceMs?: number;
}

/**
 * The model stops answering mid-stream (the scripted model endpoint's `[[hang]]`): `partialText`, if
 * any, streams, then nothing more until the message is aborted, the session destroyed or the agent
 * stopped. For tests of aborts and of an agent killed while it waits.
 */
export interface HangCall {
  readonly kind: 'hang';
  readonly partialText?: string;
  readonly chunks?: Chunking;
}

/** What a tool call ended with, as the next model call "sees" it. */
export interface ToolOutcome {
  readonly toolCallId: string;
  readonly toolName: string;
  readonly success: boolean;
  /** The result text, or the error message. */
  readonly content: string;
}

/** What a script function knows about the message it scripts. */
export interface ScriptContext {
  readonly sessionId: string;
  /** How many messages this session processed before this one (0 for the first). */
  readonly messageIndex: number;
  /** The names of the tools the client declared for the session. */
  readonly tools: readonly string[];
}

/** Chooses the script for each prompt. */
export type ScriptChooser = (prompt: string, context: ScriptContext) => TurnScript;
