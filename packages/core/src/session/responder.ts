/**
 * Answers the broadcast requests of one session (protocol.md §3.1): permission prompts, client tool
 * calls, the auto-mode-switch offer, elicitations and MCP OAuth requests arrive as events and are answered with `handlePending*` RPCs.
 * Tool calls for tools this client did not register are left alone: another attached client may own
 * them. Everything else is always answered, so a turn never waits on this client: a handler that
 * fails, answers garbage or misses its deadline gets the safe answer sent in its place, reported on
 * `answerFailures$`.
 *
 * Plain functions over the session's context, called for each of its events: a session makes no
 * closure or subscription of its own for this, so thousands of idle sessions cost next to nothing.
 */
import { AutoModeSwitchResponse, type PermissionDecision } from '../codecs/methods/index.js';
import type { SessionEvent, SessionEventOf } from '../codecs/sessionEvent.js';
import { errorMessage } from './answer.js';
import { askHandler, type HandlerFailureReason } from './askHandler.js';
import { handlerTimeout, type SessionConfig } from './config.js';
import type { SessionHost } from './host.js';
import { PermissionAnswer, denyAll, fallbackDenial } from './permissions.js';
import { failedToolResult, genericToolFailure, runTool } from './tools.js';
import { answerElicitation, ELICITATION_CANCELLED, ELICITATION_METHOD } from './elicitation.js';
import { answerMcpAuth, MCP_AUTH_CANCELLED, MCP_AUTH_METHOD } from './mcpAuth.js';

/** What the responder needs of its session. */
export interface ResponderContext {
  readonly id: string;
  readonly config: SessionConfig;
  readonly host: SessionHost;
  /** The abort controllers of this session's running handlers (made on first use). */
  runningHandlers(): Set<AbortController>;
  /** Called as each handler settles (a turn's silence clock restarts then). */
  handlerSettled(): void;
}

const PERMISSION_METHOD = 'session.permissions.handlePendingPermissionRequest';
const TOOL_METHOD = 'session.tools.handlePendingToolCall';
const AUTO_MODE_METHOD = 'session.ui.handlePendingAutoModeSwitch';

/** Answers `event` if it is a request this client must answer; stops running handlers on `abort`. */
export function respondToBroadcast(context: ResponderContext, event: SessionEvent): void {
  switch (event.type) {
    case 'permission.requested':
      return settleOrReport(context, PERMISSION_METHOD, event.data.requestId, answerPermission(context, event), () => ({
        result: fallbackDenial('copilot-rx failed while answering it'),
      }));
    case 'external_tool.requested': {
      const { toolName } = event.data;
      return settleOrReport(context, TOOL_METHOD, event.data.requestId, runRequestedTool(context, event), () => ({
        result: failedToolResult(genericToolFailure(toolName)),
      }));
    }
    case 'auto_mode_switch.requested':
      return settleOrReport(context, AUTO_MODE_METHOD, event.data.requestId, answerAutoModeSwitch(context, event), () => ({ response: 'no' }));
    case 'elicitation.requested':
      return settleOrReport(context, ELICITATION_METHOD, event.data.requestId, answerElicitation(context, event), () => ({
        result: ELICITATION_CANCELLED,
      }));
    case 'mcp.oauth_required':
      return settleOrReport(context, MCP_AUTH_METHOD, event.data.requestId, answerMcpAuth(context, event), () => ({
        result: MCP_AUTH_CANCELLED,
      }));
    case 'abort':
      // The CLI sends no completion for a tool interrupted by an abort: stop its handler.
      return stopRunningHandlers(context, new Error(`aborted: ${event.data.reason}`));
    default:
      return;
  }
}

/**
 * The answering functions handle every failure of the app's handlers themselves; this catches what
 * they cannot foresee (a getter of the session's config that throws), so no rejection is left
 * unhandled and the CLI, which waits for an answer, still gets the safe one (deny, a failed tool
 * result, "no", cancel), the same a handler that missed its deadline gets. A rejection means this
 * client had taken the request on: each answering function leaves another client's request (a tool
 * it does not own, no handler installed) before anything that can throw.
 */
function settleOrReport(
  context: ResponderContext,
  method: string,
  requestId: string,
  answering: Promise<void>,
  safeAnswer: () => object,
): void {
  answering.catch((error: unknown) => {
    reportFailure(context, method, requestId, { reason: 'handler-failed', error });
    try {
      answer(context, method, requestId, safeAnswer());
    } catch (thrown) {
      // A host that cannot even send: reported, never thrown out of this catch handler.
      context.host.reportAnswerFailure({ sessionId: context.id, method, requestId, reason: 'undeliverable', error: thrown });
    }
  });
}

/** Signals every running handler of the session to stop. */
export function stopRunningHandlers(context: ResponderContext, reason: Error): void {
  for (const controller of context.runningHandlers()) controller.abort(reason);
}

/** Sends an answer; a failure to deliver it is reported, never thrown. */
export function answer(context: ResponderContext, method: string, requestId: string, params: object): void {
  const { id: sessionId, host } = context;
  host.request(method, { sessionId, requestId, ...params }).subscribe({
    error: (error: unknown) => host.reportAnswerFailure({ sessionId, method, requestId, reason: 'undeliverable', error }),
  });
}

/**
 * Runs `work` with an abort controller registered as one of the session's running handlers, so a
 * turn abort or the session's end reaches the handler's signal.
 */
export async function whileRunning<T>(context: ResponderContext, work: (controller: AbortController) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const running = context.runningHandlers();
  running.add(controller);
  try {
    return await work(controller);
  } finally {
    running.delete(controller);
    context.handlerSettled();
  }
}

/** Reports a handler's failure; the caller sends the safe answer. */
export function reportFailure(
  context: ResponderContext,
  method: string,
  requestId: string,
  failure: { readonly reason: HandlerFailureReason; readonly error: unknown },
): void {
  context.host.reportAnswerFailure({ sessionId: context.id, method, requestId, reason: failure.reason, error: failure.error });
}

async function answerPermission(context: ResponderContext, event: SessionEventOf<'permission.requested'>): Promise<void> {
  const request = event.data;
  if (request.resolvedByHook === true) return;
  const handler = context.config.onPermissionRequest ?? denyAll;
  const outcome = await whileRunning(context, (controller) =>
    askHandler(() => handler(request, { sessionId: context.id, signal: controller.signal }), PermissionAnswer, {
      handler: 'permission',
      subject: `permission request ${request.requestId}`,
      timeoutMs: handlerTimeout(context.config, 'permission'),
      controller,
    }),
  );
  let decision: PermissionDecision;
  if (outcome._tag === 'Answered') {
    if (outcome.value.kind === 'no-result') return;
    decision = outcome.value;
  } else {
    reportFailure(context, PERMISSION_METHOD, request.requestId, outcome);
    decision = fallbackDenial(
      outcome.reason === 'handler-timeout'
        ? 'the application did not decide in time'
        : `the application's permission handler failed (${errorMessage(outcome.error)})`,
    );
  }
  answer(context, PERMISSION_METHOD, request.requestId, { result: decision });
}

async function runRequestedTool(context: ResponderContext, event: SessionEventOf<'external_tool.requested'>): Promise<void> {
  const request = event.data;
  const tool = context.config.tools?.find((candidate) => candidate.name === request.toolName);
  if (!tool) return;
  const run = await whileRunning(context, (controller) =>
    runTool(
      tool,
      request.arguments,
      {
        sessionId: context.id,
        toolCallId: request.toolCallId,
        toolName: request.toolName,
        requestId: request.requestId,
        signal: controller.signal,
      },
      { timeoutMs: handlerTimeout(context.config, 'tool'), controller },
    ),
  );
  if (run.failure) reportFailure(context, TOOL_METHOD, request.requestId, run.failure);
  answer(context, TOOL_METHOD, request.requestId, { result: run.result });
}

async function answerAutoModeSwitch(context: ResponderContext, event: SessionEventOf<'auto_mode_switch.requested'>): Promise<void> {
  const request = event.data;
  const handler = context.config.onAutoModeSwitch;
  let response: AutoModeSwitchResponse = 'no';
  if (handler) {
    const outcome = await whileRunning(context, (controller) =>
      askHandler(() => handler(request, { sessionId: context.id, signal: controller.signal }), AutoModeSwitchResponse, {
        handler: 'autoModeSwitch',
        subject: `auto-mode switch request ${request.requestId}`,
        timeoutMs: handlerTimeout(context.config, 'autoModeSwitch'),
        controller,
      }),
    );
    if (outcome._tag === 'Answered') response = outcome.value;
    else reportFailure(context, AUTO_MODE_METHOD, request.requestId, outcome);
  }
  answer(context, AUTO_MODE_METHOD, request.requestId, { response });
}
