/**
 * Answers the broadcast requests of one session (protocol.md §3.1): permission prompts, client tool
 * calls and the auto-mode-switch offer arrive as events and are answered with `handlePending*` RPCs.
 * Tool calls for tools this client did not register are left alone: another attached client may own
 * them. Everything else is always answered, so a turn never waits on this client.
 *
 * Plain functions over the session's context, called for each of its events: a session makes no
 * closure or subscription of its own for this, so thousands of idle sessions cost next to nothing.
 */
import type { PermissionDecision } from '../codecs/methods/index.js';
import type { SessionEvent, SessionEventOf } from '../codecs/sessionEvent.js';
import { settle } from './answer.js';
import type { SessionConfig } from './config.js';
import type { SessionHost } from './host.js';
import { denyAll, type NoResult } from './permissions.js';
import { runTool } from './tools.js';

/** What the responder needs of its session. */
export interface ResponderContext {
  readonly id: string;
  readonly config: SessionConfig;
  readonly host: SessionHost;
  /** The abort controllers of this session's running tool handlers (made on first use). */
  runningTools(): Set<AbortController>;
}

/** Answers `event` if it is a request this client must answer; stops tool handlers on `abort`. */
export function respondToBroadcast(context: ResponderContext, event: SessionEvent): void {
  switch (event.type) {
    case 'permission.requested':
      return void answerPermission(context, event);
    case 'external_tool.requested':
      return void runRequestedTool(context, event);
    case 'auto_mode_switch.requested':
      return void answerAutoModeSwitch(context, event);
    case 'abort':
      // The CLI sends no completion for a tool interrupted by an abort: stop its handler.
      return stopRunningTools(context, new Error(`aborted: ${event.data.reason}`));
    default:
      return;
  }
}

/** Signals every running tool handler of the session to stop. */
export function stopRunningTools(context: ResponderContext, reason: Error): void {
  for (const controller of context.runningTools()) controller.abort(reason);
}

/** Sends an answer; a failure to deliver it is reported, never thrown. */
export function answer(context: ResponderContext, method: string, requestId: string, params: object): void {
  const { id: sessionId, host } = context;
  host.request(method, { sessionId, requestId, ...params }).subscribe({
    error: (error: unknown) => host.reportAnswerFailure({ sessionId, method, requestId, error }),
  });
}

async function answerPermission(context: ResponderContext, event: SessionEventOf<'permission.requested'>): Promise<void> {
  const request = event.data;
  if (request.resolvedByHook === true) return;
  const handler = context.config.onPermissionRequest ?? denyAll;
  let decision: PermissionDecision | NoResult;
  try {
    decision = await settle(() => handler(request, { sessionId: context.id }), { kind: 'user-not-available' });
  } catch {
    // As the official SDK does: a failing handler means nobody could decide.
    decision = { kind: 'user-not-available' };
  }
  if (decision.kind === 'no-result') return;
  answer(context, 'session.permissions.handlePendingPermissionRequest', request.requestId, { result: decision });
}

async function runRequestedTool(context: ResponderContext, event: SessionEventOf<'external_tool.requested'>): Promise<void> {
  const request = event.data;
  const tool = context.config.tools?.find((candidate) => candidate.name === request.toolName);
  if (!tool) return;
  const controller = new AbortController();
  const running = context.runningTools();
  running.add(controller);
  try {
    const result = await runTool(tool, request.arguments, {
      sessionId: context.id,
      toolCallId: request.toolCallId,
      toolName: request.toolName,
      requestId: request.requestId,
      signal: controller.signal,
    });
    answer(context, 'session.tools.handlePendingToolCall', request.requestId, { result });
  } finally {
    running.delete(controller);
  }
}

async function answerAutoModeSwitch(context: ResponderContext, event: SessionEventOf<'auto_mode_switch.requested'>): Promise<void> {
  const request = event.data;
  const handler = context.config.onAutoModeSwitch;
  let response: 'yes' | 'yes_always' | 'no' = 'no';
  if (handler) {
    try {
      response = await settle(() => handler(request, { sessionId: context.id }), 'no');
    } catch (error) {
      context.host.reportAnswerFailure({ sessionId: context.id, method: 'onAutoModeSwitch', requestId: request.requestId, error });
    }
  }
  answer(context, 'session.ui.handlePendingAutoModeSwitch', request.requestId, { response });
}
