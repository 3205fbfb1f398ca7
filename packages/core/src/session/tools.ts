/**
 * Client-side tools. The CLI asks for a tool call with an `external_tool.requested` event; copilot-rx
 * runs the handler and answers with `session.tools.handlePendingToolCall`. Whatever the handler does,
 * the agent gets an answer: a throw, a rejection or arguments that fail the tool's codec become a
 * failed result whose text names the error, which the model reads.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
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
  readonly args?: t.Decoder<unknown, Args>;
  readonly handler: (args: Args, invocation: ToolInvocation) => Answer<ToolResult>;
}

/** Declares a tool with arguments typed by its codec. */
export function defineTool<Args>(tool: Tool<Args>): Tool<Args> {
  return tool;
}

/** The part of a tool the CLI sees. */
export function declareTool(tool: Pick<Tool, 'name' | 'description' | 'parameters' | 'skipPermission'>): ToolDeclaration {
  return {
    name: tool.name,
    ...(tool.description !== undefined && { description: tool.description }),
    ...(tool.parameters !== undefined && { parameters: tool.parameters }),
    ...(tool.skipPermission !== undefined && { skipPermission: tool.skipPermission }),
  };
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
      const text = `Tool '${tool.name}' could not check its arguments: ${errorMessage(error)}`;
      return { result: failure(text), failure: { reason: 'handler-failed', error } };
    }
    if (isLeft(decoded)) {
      const problems = PathReporter.report(decoded).join('; ');
      return { result: failure(`Invalid arguments for tool '${tool.name}': ${problems}`) };
    }
    args = decoded.right;
  }
  const outcome = await askHandler(() => tool.handler(args, invocation), ToolAnswer, {
    handler: 'tool',
    subject: `tool '${tool.name}'`,
    ...deadline,
  });
  if (outcome._tag === 'Answered') return { result: outcome.value };
  return { result: failure(`Tool '${tool.name}' failed: ${errorMessage(outcome.error)}`), failure: outcome };
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
function failure(text: string): ToolResultObject {
  return { textResultForLlm: text, resultType: 'failure', error: text };
}
