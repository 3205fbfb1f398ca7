/**
 * Client-side tools. The CLI asks for a tool call with an `external_tool.requested` event; copilot-rx
 * runs the handler and answers with `session.tools.handlePendingToolCall`. Whatever the handler does,
 * the agent gets an answer: a throw, a rejection or arguments that fail the tool's codec become a
 * failed result. What the model reads of a handler's error is generic by default (an error may carry
 * paths, hostnames or secrets the model, and whoever reads its output, should not see), unless the
 * tool says `shareErrorWithModel`; the full error always goes to `client.answerFailures$`.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { reportErrors } from '../codecs/reportErrors.js';
import { ToolResultObject } from '../codecs/methods/pending.js';
import type { ToolDeclaration } from '../codecs/methods/session.js';
import { errorMessage, type Answer } from './answer.js';
import { askHandler, type HandlerFailureReason } from './askHandler.js';

/** What a tool handler learns about the call it serves. */
export interface ToolInvocation {
  readonly sessionId: string;
  readonly toolCallId: string;
  readonly toolName: string;
  readonly requestId: string;
  /**
   * Aborted when the session's turn is aborted, the session closes, or the tool's deadline
   * (`handlerTimeouts.tool`) passes (then with a HandlerTimeoutError), so long-running work can stop.
   */
  readonly signal: AbortSignal;
}

/** A tool result: text for the model, a structured result, or any value (sent as JSON). */
export type ToolResult = string | ToolResultObject | null | undefined | unknown;

/**
 * A tool the model may call. `parameters` is the JSON Schema the model sees; `args`, when given, is an
 * io-ts codec that checks the arguments before the handler runs and types them for it.
 */
export interface Tool<Args = Record<string, unknown>> {
  readonly name: string;
  readonly description?: string;
  readonly parameters?: Record<string, unknown>;
  /** Run without asking for permission (no `permission.requested` step). Default: false. */
  readonly skipPermission?: boolean;
  /**
   * Replace the built-in tool of the same name (e.g. `grep`, `view`). Without it the CLI refuses a
   * tool named like a built-in one. Default: false.
   */
  readonly overridesBuiltInTool?: boolean;
  /** A successful call ends the agent's turn instead of going back to the model (a failed one does not). */
  readonly isTerminal?: boolean;
  /**
   * `'auto'` (the CLI's default): the tool may be left out of the prompt and found through tool search
   * when a session has many tools; `'never'`: always in the prompt.
   */
  readonly defer?: 'auto' | 'never';
  /** Opaque host-defined metadata, passed to the CLI untouched. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /**
   * Tell the model the handler's error message when it throws or rejects. Default: false, the model
   * reads only that the tool failed (`genericToolFailure`); the app gets the error on `answerFailures$`.
   */
  readonly shareErrorWithModel?: boolean;
  readonly args?: t.Decoder<unknown, Args>;
  readonly handler: (args: Args, invocation: ToolInvocation) => Answer<ToolResult>;
}

/** Declares a tool with arguments typed by its codec. */
export function defineTool<Args>(tool: Tool<Args>): Tool<Args> {
  return tool;
}

/** A tool as the CLI's `session.create` declares it. */
export type ToolWireDeclaration = ToolDeclaration & Pick<Tool, 'isTerminal' | 'defer' | 'metadata'>;

const DECLARED_FIELDS = ['description', 'parameters', 'skipPermission', 'overridesBuiltInTool', 'isTerminal', 'defer', 'metadata'] as const;

/** The part of a tool the CLI sees (never its handler, codec or error policy). */
export function declareTool(tool: Pick<Tool, 'name' | (typeof DECLARED_FIELDS)[number]>): ToolWireDeclaration {
  const declaration: Record<string, unknown> = { name: tool.name };
  for (const field of DECLARED_FIELDS) if (tool[field] !== undefined) declaration[field] = tool[field];
  return declaration as ToolWireDeclaration;
}

/** What the model reads when a tool's handler fails and the tool does not share the error. */
export function genericToolFailure(toolName: string): string {
  return `Tool '${toolName}' failed. The application did not share the error's details.`;
}

/** What running a tool produced: the answer for the CLI, and why it is a made-up one when it is. */
export interface ToolRun {
  readonly result: string | ToolResultObject;
  /** Set when the handler failed, answered garbage or missed its deadline (reported on answerFailures$). */
  readonly failure?: { readonly reason: HandlerFailureReason; readonly error: unknown };
}

/**
 * A tool handler's answer, checked before it is sent: nothing, a string, a structured result (an
 * object with `textResultForLlm` must be a valid one) or any value JSON can carry, sent as JSON.
 */
export const ToolAnswer = new t.Type<string | ToolResultObject, unknown, unknown>(
  'ToolAnswer',
  (value): value is string | ToolResultObject => typeof value === 'string' || ToolResultObject.is(value),
  (value, context) => {
    if (value === null || value === undefined) return t.success('');
    if (typeof value === 'string') return t.success(value);
    if (typeof value === 'object' && 'textResultForLlm' in value) return ToolResultObject.validate(value, context);
    try {
      const json = JSON.stringify(value);
      return json === undefined ? t.failure(value, context, 'a value JSON cannot carry') : t.success(json);
    } catch (error) {
      // Circular, BigInt, or too deep for the stack: the handler's value, not ours to crash on.
      return t.failure(value, context, `a value JSON cannot carry (${errorMessage(error)})`);
    }
  },
  (value) => value,
);

/**
 * Runs a tool and always produces the answer for the CLI, success or failure: arguments that fail the
 * tool's codec, a throw, a rejection, an invalid answer or a missed deadline become a failed result
 * whose text the model reads.
 */
export async function runTool(
  tool: Tool<unknown>,
  rawArguments: unknown,
  invocation: ToolInvocation,
  deadline: { readonly timeoutMs: number | undefined; readonly controller: AbortController },
): Promise<ToolRun> {
  let args: unknown = rawArguments ?? {};
  if (tool.args) {
    let decoded: ReturnType<typeof tool.args.decode>;
    try {
      decoded = tool.args.decode(args);
    } catch (error) {
      // The app's own codec threw: the arguments could not be checked, so the tool does not run.
      const text = tool.shareErrorWithModel
        ? `Tool '${tool.name}' could not check its arguments: ${errorMessage(error)}`
        : genericToolFailure(tool.name);
      return { result: failedToolResult(text), failure: { reason: 'handler-failed', error } };
    }
    if (isLeft(decoded)) {
      // Bounded: the model wrote these arguments, and may have nested them 20,000 levels deep.
      const problems = reportErrors(decoded.left).join('; ');
      return { result: failedToolResult(`Invalid arguments for tool '${tool.name}': ${problems}`) };
    }
    args = decoded.right;
  }
  const outcome = await askHandler(() => tool.handler(args, invocation), ToolAnswer, {
    handler: 'tool',
    subject: `tool '${tool.name}'`,
    ...deadline,
  });
  if (outcome._tag === 'Answered') return { result: outcome.value };
  // A missed deadline is copilot-rx's own finding, safe to tell; a handler's error or answer may not be.
  const shared = tool.shareErrorWithModel || outcome.reason === 'handler-timeout';
  const text = shared ? `Tool '${tool.name}' failed: ${errorMessage(outcome.error)}` : genericToolFailure(tool.name);
  return { result: failedToolResult(text), failure: outcome };
}

/**
 * The official SDK's result rules (protocol.md §3.1): nothing → "", a string as is, a structured
 * result as is, anything else as JSON.
 */
export function normalizeToolResult(value: ToolResult): string | ToolResultObject {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (isToolResultObject(value)) return value;
  return JSON.stringify(value) ?? String(value);
}

function isToolResultObject(value: unknown): value is ToolResultObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { textResultForLlm?: unknown }).textResultForLlm === 'string'
  );
}

/**
 * A failed result the model can read. (Answering with `error` instead would make the CLI hide the
 * message from the model behind "Tool execution failed".)
 */
export function failedToolResult(text: string): ToolResultObject {
  return { textResultForLlm: text, resultType: 'failure', error: text };
}
