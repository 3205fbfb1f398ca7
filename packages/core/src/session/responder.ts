/**
 * Answers the broadcast requests of one session (protocol.md §3.1): permission prompts, client tool
 * calls and the auto-mode-switch offer arrive as events and are answered with `handlePending*` RPCs.
 * Tool calls for tools this client did not register are left alone: another attached client may own
 * them. Everything else is always answered, so a turn never waits on this client.
 */
import type { Observable, Subscription } from 'rxjs';
import type { SessionEvent, SessionEventOf } from '../codecs/sessionEvent';
import type { PermissionDecision } from '../codecs/methods';
import { settle } from './answer';
import type { SessionConfig } from './config';
import type { SessionHost } from './host';
import { denyAll, type NoResult } from './permissions';
import { runTool, type Tool } from './tools';

export function answerBroadcastRequests(
  sessionId: string,
  events$: Observable<SessionEvent>,
  config: SessionConfig,
  host: SessionHost,
): Subscription {
  const tools = new Map<string, Tool<unknown>>((config.tools ?? []).map((tool) => [tool.name, tool]));
  const controllers = new Set<AbortController>();

  const answer = (method: string, requestId: string, params: object) => {
    host.request(method, { sessionId, requestId, ...params }).subscribe({
      error: (error: unknown) => host.reportAnswerFailure({ sessionId, method, requestId, error }),
    });
  };

  const onPermission = async (event: SessionEventOf<'permission.requested'>) => {
    const request = event.data;
    if (request.resolvedByHook === true) return;
    const handler = config.onPermissionRequest ?? denyAll;
    let decision: PermissionDecision | NoResult;
    try {
      decision = await settle(() => handler(request, { sessionId }), { kind: 'user-not-available' });
    } catch {
      // As the official SDK does: a failing handler means nobody could decide.
      decision = { kind: 'user-not-available' };
    }
    if (decision.kind === 'no-result') return;
    answer('session.permissions.handlePendingPermissionRequest', request.requestId, { result: decision });
  };

  const onToolCall = async (event: SessionEventOf<'external_tool.requested'>) => {
    const request = event.data;
    const tool = tools.get(request.toolName);
    if (!tool) return;
    const controller = new AbortController();
    controllers.add(controller);
    try {
      const result = await runTool(tool, request.arguments, {
        sessionId,
        toolCallId: request.toolCallId,
        toolName: request.toolName,
        requestId: request.requestId,
        signal: controller.signal,
      });
      answer('session.tools.handlePendingToolCall', request.requestId, { result });
    } finally {
      controllers.delete(controller);
    }
  };

  const onAutoModeSwitch = async (event: SessionEventOf<'auto_mode_switch.requested'>) => {
    const request = event.data;
    const handler = config.onAutoModeSwitch;
    let response: 'yes' | 'yes_always' | 'no' = 'no';
    if (handler) {
      try {
        response = await settle(() => handler(request, { sessionId }), 'no');
      } catch (error) {
        host.reportAnswerFailure({ sessionId, method: 'onAutoModeSwitch', requestId: request.requestId, error });
      }
    }
    answer('session.ui.handlePendingAutoModeSwitch', request.requestId, { response });
  };

  const subscription = events$.subscribe({
    next: (event) => {
      switch (event.type) {
        case 'permission.requested':
          return void onPermission(event);
        case 'external_tool.requested':
          return void onToolCall(event);
        case 'auto_mode_switch.requested':
          return void onAutoModeSwitch(event);
        case 'abort':
          // The CLI sends no completion for a tool interrupted by an abort: stop its handler.
          for (const controller of controllers) controller.abort(new Error(`aborted: ${event.data.reason}`));
          return;
        default:
          return;
      }
    },
    // The session's stream ending (destroy, connection closed) ends the responder; the error itself
    // is reported on the streams the app watches.
    error: () => undefined,
  });
  subscription.add(() => {
    for (const controller of controllers) controller.abort(new Error('session closed'));
  });
  return subscription;
}
