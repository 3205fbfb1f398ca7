/**
 * Requests from the agent that arrived as events copilot-rx could not decode. Such an event goes to
 * `decodeErrors$`, not to the session's stream, so the responder never sees it; but the CLI waits for
 * an answer, and a turn must never hang on this client. This answers them the safe way, from the raw
 * JSON: a permission is denied, a call to one of this client's tools fails with a result naming the
 * problem, an auto-mode-switch offer is declined, an elicitation and an MCP sign-in are cancelled
 * (those two only by a session with the handler: the CLI asks the clients that have one).
 */
import type { DecodeFailure } from '../events/decode.js';
import { ELICITATION_CANCELLED, ELICITATION_METHOD } from './elicitation.js';
import { MCP_AUTH_CANCELLED, MCP_AUTH_METHOD } from './mcpAuth.js';
import { answer, type ResponderContext } from './responder.js';
import { failedToolResult } from './tools.js';

/** Answers `failure` if it is a request event this session must answer; ignores anything else. */
export function answerUndecodableRequest(context: ResponderContext, failure: DecodeFailure): void {
  const data = rawEventData(failure.raw);
  const requestId = typeof data['requestId'] === 'string' ? data['requestId'] : undefined;
  if (requestId === undefined) return;
  const why = `copilot-rx could not read this ${failure.eventType} event (${failure.messages.join('; ')})`;
  switch (failure.eventType) {
    case 'permission.requested':
      return answer(context, 'session.permissions.handlePendingPermissionRequest', requestId, {
        result: { kind: 'reject', feedback: `${why}, so the permission is denied.` },
      });
    case 'external_tool.requested': {
      const toolName = data['toolName'];
      if (typeof toolName !== 'string' || !context.config.tools?.some((tool) => tool.name === toolName)) return;
      return answer(context, 'session.tools.handlePendingToolCall', requestId, {
        result: failedToolResult(`${why}, so the tool did not run.`),
      });
    }
    case 'auto_mode_switch.requested':
      return answer(context, 'session.ui.handlePendingAutoModeSwitch', requestId, { response: 'no' });
    case 'elicitation.requested':
      if (context.config.onElicitation === undefined) return;
      return answer(context, ELICITATION_METHOD, requestId, { result: ELICITATION_CANCELLED });
    case 'mcp.oauth_required':
      if (context.config.onMcpAuth === undefined) return;
      return answer(context, MCP_AUTH_METHOD, requestId, { result: MCP_AUTH_CANCELLED });
    default:
      return;
  }
}

function rawEventData(raw: unknown): Record<string, unknown> {
  const event = (raw as { event?: { data?: unknown } } | undefined)?.event;
  const data = event?.data;
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}
