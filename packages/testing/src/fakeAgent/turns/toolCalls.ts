/**
 * A model call that asks for tools, and each tool's run, in the CLI's order (protocol.md §3.1, §7.2):
 * `tool.execution_start` → `permission.requested` → (answer) → `permission.completed` →
 * `external_tool.requested` → (answer) → `external_tool.completed` → `tool.execution_complete`.
 * `skipPermission` tools skip the prompt; with `requestPermission: false` a tool that needs one is
 * denied; tools the client did not declare run as scripted built-ins or fail as unknown.
 */
import { concat, concatMap, defer, ignoreElements, of, type Observable } from 'rxjs';
import { closeModelCall, emitUsage, openModelCall, type ModelCallFrame } from './modelCall.js';
import type { CallOutcome } from './replyCall.js';
import { act, pause } from './steps.js';
import { deniedToolOutcome, PERMISSION_DENIED_MESSAGE, permissionOutcome, toolCallOutcome, type PermissionAnswer, type ToolResultOutcome } from './toolAnswers.js';
import type { DeclaredTool, TurnHost, TurnRun } from './TurnHost.js';
import type { BuiltInToolScript, ToolCallsCall, ToolCallSpec } from './TurnScript.js';

interface ToolCallContext {
  readonly host: TurnHost;
  readonly run: TurnRun;
  readonly frame: ModelCallFrame;
  readonly spec: ToolCallSpec;
  readonly toolCallId: string;
}

export function toolCallsCall(call: ToolCallsCall, host: TurnHost, run: TurnRun): Observable<CallOutcome> {
  return concat(
    pause(call.paceMs, host.scheduler),
    defer(() => {
      const frame = openModelCall(host, run);
      const calls = call.tools.map((spec) => ({ spec, toolCallId: spec.toolCallId ?? host.nextToolCallId() }));
      if (host.streaming) streamToolCalls(host, calls);
      const text = call.text ?? '';
      emitUsage(host, run, frame, { finishReason: 'tool_calls', outputText: text, toolNames: call.tools.map((tool) => tool.name) });
      host.emit('assistant.message', {
        messageId: host.newId(),
        model: host.model,
        content: text,
        toolRequests: calls.map(({ spec, toolCallId }) => ({ toolCallId, name: spec.name, arguments: spec.arguments, type: 'function' })),
        interactionId: run.interactionId,
        turnId: frame.turnId,
        apiCallId: frame.apiCallId,
      });
      return concat(
        ...calls.map(({ spec, toolCallId }) => runTool({ host, run, frame, spec, toolCallId })),
        act(() => closeModelCall(host, run, frame)),
        of<CallOutcome>('continue'),
      );
    }),
  );
}

/** The recorded fake model sent a tool's name, then its arguments in pieces of 6 characters. */
const ARGUMENT_CHUNK_LENGTH = 6;

/**
 * As the CLI relays a streamed tool call (transcripts/raw-capi-tool): an `assistant.streaming_delta`
 * for the name, then one for each piece of the arguments, each followed by its `assistant.tool_call_delta`.
 */
function streamToolCalls(host: TurnHost, calls: readonly { readonly spec: ToolCallSpec; readonly toolCallId: string }[]): void {
  let streamedBytes = 0;
  for (const { spec, toolCallId } of calls) {
    streamedBytes += Buffer.byteLength(spec.name, 'utf8');
    host.emit('assistant.streaming_delta', { totalResponseSizeBytes: streamedBytes });
    const json = JSON.stringify(spec.arguments);
    for (let start = 0; start < json.length; start += ARGUMENT_CHUNK_LENGTH) {
      const inputDelta = json.slice(start, start + ARGUMENT_CHUNK_LENGTH);
      streamedBytes += Buffer.byteLength(inputDelta, 'utf8');
      host.emit('assistant.streaming_delta', { totalResponseSizeBytes: streamedBytes });
      host.emit('assistant.tool_call_delta', { toolCallId, toolName: spec.name, toolType: 'function', inputDelta });
    }
  }
}

function runTool(context: ToolCallContext): Observable<never> {
  return defer(() => {
    const { host, run, frame, spec, toolCallId } = context;
    run.runningTools.set(toolCallId, spec.name);
    host.emit('tool.execution_start', { toolCallId, toolName: spec.name, arguments: spec.arguments, turnId: frame.turnId, model: host.model });
    return host.invokeHook('preToolUse', { toolName: spec.name, toolArgs: spec.arguments }).pipe(
      concatMap((output) => {
        // A hook's "deny" stops the tool before any permission prompt, with its reason for the model.
        const decision = output as { permissionDecision?: unknown; permissionDecisionReason?: unknown } | undefined;
        if (decision?.permissionDecision === 'deny') {
          const reason = typeof decision.permissionDecisionReason === 'string' ? decision.permissionDecisionReason : 'Denied by a preToolUse hook';
          return complete(context, { success: false, message: reason, code: 'denied' });
        }
        return toolRun(context);
      }),
    );
  });
}

function toolRun(context: ToolCallContext): Observable<never> {
  return defer(() => {
    const { host, spec } = context;
    const declared = host.tool(spec.name);
    if (!declared) {
      if (spec.builtIn) return builtInTool(context, spec.builtIn);
      return complete(context, { success: false, message: `Tool '${spec.name}' does not exist.`, code: 'failure' });
    }
    if (declared.skipPermission) return externalTool(context);
    if (!host.requestPermission) return complete(context, { success: false, message: PERMISSION_DENIED_MESSAGE, code: 'denied' });
    return askPermission(context, declared).pipe(
      concatMap((answer) => {
        const denial = deniedToolOutcome(answer);
        return denial ? complete(context, denial) : externalTool(context);
      }),
    );
  });
}

function askPermission({ host, spec, toolCallId }: ToolCallContext, declared: DeclaredTool): Observable<PermissionAnswer> {
  return defer(() => {
    const requestId = host.newId();
    // The schema requires a description; a tool declared without one gets ''.
    const toolDescription = declared.description ?? '';
    host.emit('permission.requested', {
      requestId,
      permissionRequest: { kind: 'custom-tool', toolCallId, toolName: spec.name, toolDescription, args: spec.arguments },
      promptRequest: { kind: 'custom-tool', toolName: spec.name, toolDescription, args: spec.arguments, toolCallId },
      agentMode: 'interactive',
      permissionMode: 'manual',
      ownerSessionId: host.sessionId,
    });
    return host.waitForAnswer('permission', requestId, (params) => {
      const answer = permissionOutcome(params);
      host.emit('permission.completed', { requestId, toolCallId, result: { kind: answer.kind } });
      return answer;
    });
  });
}

function externalTool(context: ToolCallContext): Observable<never> {
  return defer(() => {
    const { host, spec, toolCallId } = context;
    const requestId = host.newId();
    host.emit('external_tool.requested', {
      requestId,
      sessionId: host.sessionId,
      toolCallId,
      toolName: spec.name,
      arguments: spec.arguments,
      workingDirectory: host.cwd,
    });
    return host
      .waitForAnswer('tool', requestId, (params) => {
        const outcome = toolCallOutcome(params);
        host.emit('external_tool.completed', { requestId });
        return outcome;
      })
      .pipe(concatMap((outcome) => complete(context, outcome)));
  });
}

function builtInTool(context: ToolCallContext, script: BuiltInToolScript): Observable<never> {
  const { host, toolCallId } = context;
  return concat(
    ...(script.progress ?? []).map((progressMessage) =>
      concat(pause(script.paceMs, host.scheduler), act(() => host.emit('tool.execution_progress', { toolCallId, progressMessage }))),
    ),
    ...(script.partialOutput ?? []).map((partialOutput) =>
      concat(pause(script.paceMs, host.scheduler), act(() => host.emit('tool.execution_partial_result', { toolCallId, partialOutput }))),
    ),
    defer(() =>
      complete(context, script.success === false ? { success: false, message: script.result, code: 'failure' } : { success: true, content: script.result }),
    ),
  );
}

/** `tool.execution_complete`, and the outcome recorded for the next model call. */
function complete(context: ToolCallContext, outcome: ToolResultOutcome): Observable<never> {
  const { host, spec } = context;
  const after = outcome.success
    ? host.invokeHook('postToolUse', { toolName: spec.name, toolArgs: spec.arguments, toolResult: { resultType: 'success', textResultForLlm: outcome.content } })
    : host.invokeHook('postToolUseFailure', { toolName: spec.name, toolArgs: spec.arguments, error: outcome.message });
  return concat(after.pipe(ignoreElements()), recordCompletion(context, outcome));
}

function recordCompletion({ host, run, frame, spec, toolCallId }: ToolCallContext, outcome: ToolResultOutcome): Observable<never> {
  return act(() => {
    run.runningTools.delete(toolCallId);
    const common = { toolCallId, model: host.model, interactionId: run.interactionId, turnId: frame.turnId };
    if (outcome.success) {
      host.emit('tool.execution_complete', { ...common, success: true, result: { content: outcome.content, detailedContent: outcome.content }, toolTelemetry: {} });
    } else {
      host.emit('tool.execution_complete', { ...common, success: false, error: { message: outcome.message, code: outcome.code }, toolTelemetry: {} });
    }
    run.toolOutcomes.push({ toolCallId, toolName: spec.name, success: outcome.success, content: outcome.success ? outcome.content : outcome.message });
  });
}
