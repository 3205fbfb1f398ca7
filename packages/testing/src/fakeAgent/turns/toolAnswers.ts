/**
 * Reading the client's answers to permission prompts and tool calls, and the outcomes the CLI records
 * for them (protocol.md §3.1, transcripts cli-1.0.81/permissions and raw-capi-tool).
 */
import { describe, RpcError, RpcErrorCode } from '../rpc/messages.js';
import type { Params } from '../rpc/params.js';

/** The text the CLI records when a tool needs permission and nobody can be asked. */
export const PERMISSION_DENIED_MESSAGE = 'Permission denied and could not request permission from user';
/** The text the CLI records when the user rejects a tool call. */
export const USER_REJECTED_MESSAGE = 'The user rejected this tool call.';
/** What the CLI records (and the model sees) when the client's tool handler failed. */
export const TOOL_FAILED_MESSAGE = 'Tool execution failed';

/** Decision kinds a client sends → the `permission.completed` result kind (observed mapping). */
const DECISION_OUTCOMES: Readonly<Record<string, string>> = {
  'approve-once': 'approved',
  'approve-for-session': 'approved-for-session',
  'approve-for-location': 'approved-for-location',
  'approve-permanently': 'approved',
  reject: 'denied-interactively-by-user',
  'user-not-available': 'denied-no-approval-rule-and-could-not-request-from-user',
};

/** Outcome-style kinds the schema also accepts as decisions; they pass through unchanged. */
const OUTCOME_KINDS: ReadonlySet<string> = new Set([
  'approved',
  'approved-for-session',
  'approved-for-location',
  'cancelled',
  'denied-by-rules',
  'denied-no-approval-rule-and-could-not-request-from-user',
  'denied-interactively-by-user',
  'denied-by-content-exclusion-policy',
  'denied-by-permission-request-hook',
]);

/** How a tool call ended, before it is written as `tool.execution_complete`. */
export type ToolResultOutcome =
  | { readonly success: true; readonly content: string }
  | { readonly success: false; readonly message: string; readonly code: string };

/** A permission answer as the CLI records it: the `permission.completed` kind, and a rejection's feedback. */
export interface PermissionAnswer {
  readonly kind: string;
  readonly feedback?: string;
}

/** Reads a `handlePendingPermissionRequest` answer: its `permission.completed` kind and any feedback. */
export function permissionOutcome(params: Params): PermissionAnswer {
  const result = params.object('result');
  const kind = result.string('kind');
  const outcome = DECISION_OUTCOMES[kind] ?? (OUTCOME_KINDS.has(kind) ? kind : undefined);
  if (outcome === undefined) {
    const known = [...Object.keys(DECISION_OUTCOMES), ...OUTCOME_KINDS].join(', ');
    throw new RpcError(RpcErrorCode.InvalidParams, `Invalid params for ${params.method}: unknown result.kind ${describe(kind)}; expected one of ${known}`);
  }
  const feedback = kind === 'reject' ? result.optionalString('feedback') : undefined;
  return feedback === undefined || feedback === '' ? { kind: outcome } : { kind: outcome, feedback };
}

/** What a denied permission does to the tool call; undefined when the answer approves it. */
export function deniedToolOutcome(answer: PermissionAnswer): ToolResultOutcome | undefined {
  if (answer.kind.startsWith('approved')) return undefined;
  if (answer.kind === 'denied-interactively-by-user') {
    // 1.0.102 passes a rejection's feedback on to the model and then records the call as "denied"
    // (seen against the real CLI, e2e/fakeAgentFidelity.spec.ts); without feedback it is "rejected"
    // (transcripts cli-1.0.81/permissions).
    if (answer.feedback !== undefined) return { success: false, message: `${USER_REJECTED_MESSAGE} User feedback: ${answer.feedback}`, code: 'denied' };
    return { success: false, message: USER_REJECTED_MESSAGE, code: 'rejected' };
  }
  return { success: false, message: PERMISSION_DENIED_MESSAGE, code: 'denied' };
}

const FAILED_RESULT_TYPES: ReadonlySet<string> = new Set(['failure', 'rejected', 'denied', 'timeout']);

/** The outcome of a `handlePendingToolCall` answer: `result` (string or object) or `error`. */
export function toolCallOutcome(params: Params): ToolResultOutcome {
  // A handler that threw: the runtime hides its message from the model (protocol.md §3.1).
  if (params.has('error')) {
    params.string('error');
    return { success: false, message: TOOL_FAILED_MESSAGE, code: 'failure' };
  }
  const result = params.raw['result'];
  if (typeof result === 'string') return { success: true, content: result };
  if (typeof result === 'object' && result !== null && !Array.isArray(result)) {
    const object = params.object('result');
    const text = object.string('textResultForLlm');
    const resultType = object.optionalString('resultType') ?? 'success';
    if (resultType === 'success') return { success: true, content: text };
    if (FAILED_RESULT_TYPES.has(resultType)) return { success: false, message: text, code: resultType };
    throw new RpcError(
      RpcErrorCode.InvalidParams,
      `Invalid params for ${params.method}: result.resultType must be one of success, ${[...FAILED_RESULT_TYPES].join(', ')}. Got ${describe(resultType)}`,
    );
  }
  throw new RpcError(
    RpcErrorCode.InvalidParams,
    `Invalid params for ${params.method}: needs "result" (a string or {textResultForLlm, resultType?}) or "error" (a string). Got result ${describe(result)}`,
  );
}
