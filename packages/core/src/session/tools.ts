/**
 * Client-side tools. The CLI asks for a tool call with an `external_tool.requested` event; copilot-rx
 * runs the handler and answers with `session.tools.handlePendingToolCall`. Whatever the handler does,
 * the agent gets an answer: a throw, a rejection or arguments that fail the tool's codec become a
 * failed result whose text names the error, which the model reads.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';
import type { ToolResultObject } from '../codecs/methods/pending.js';
import type { ToolDeclaration } from '../codecs/methods/session.js';
import { errorMessage, settle, type Answer } from './answer.js';

/** What a tool handler learns about the call it serves. */
export interface ToolInvocation {
  readonly sessionId: string;
  readonly toolCallId: string;
  readonly toolName: string;
  readonly requestId: string;
  /** Aborted when the session's turn is aborted, so long-running work can stop. */
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

/** Runs a tool and always produces the answer for the CLI, success or failure. */
export async function runTool(
  tool: Tool<unknown>,
  rawArguments: unknown,
  invocation: ToolInvocation,
): Promise<string | ToolResultObject> {
  let args: unknown = rawArguments ?? {};
  if (tool.args) {
    const decoded = tool.args.decode(args);
    if (isLeft(decoded)) {
      const problems = PathReporter.report(decoded).join('; ');
      return failure(`Invalid arguments for tool '${tool.name}': ${problems}`);
    }
    args = decoded.right;
  }
  try {
    return normalizeToolResult(await settle(() => tool.handler(args, invocation), undefined));
  } catch (error) {
    return failure(`Tool '${tool.name}' failed: ${errorMessage(error)}`);
  }
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
