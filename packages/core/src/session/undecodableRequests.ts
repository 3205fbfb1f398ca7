/**
 * Requests from the agent that arrived as events copilot-rx could not decode. Such an event goes to
 * `decodeErrors$`, not to the session's stream, so the responder never sees it; but the CLI waits for
 * an answer, and a turn must never hang on this client. This answers them the safe way, from the raw
 * JSON: a permission is denied, a call to one of this client's tools fails with a result naming the
 * problem, an auto-mode-switch offer is declined.
 */
import type { DecodeFailure } from '../events/decode';
import type { SessionHost } from './host';

/** Answers `failure` if it is a request event of session `sessionId`; ignores anything else. */
export function answerUndecodableRequest(
  sessionId: string,
  failure: DecodeFailure,
  ownsTool: (toolName: string) => boolean,
  host: SessionHost,
): void {
  const answer = (method: string, requestId: string, params: object) => {
    host.request(method, { sessionId, requestId, ...params }).subscribe({
      error: (error: unknown) => host.reportAnswerFailure({ sessionId, method, requestId, error }),
    });
  };

  {
    const data = rawEventData(failure.raw);
    const requestId = typeof data['requestId'] === 'string' ? data['requestId'] : undefined;
    if (requestId === undefined) return;
    const why = `copilot-rx could not read this ${failure.eventType} event (${failure.messages.join('; ')})`;
    switch (failure.eventType) {
      case 'permission.requested':
        return answer('session.permissions.handlePendingPermissionRequest', requestId, {
          result: { kind: 'reject', feedback: `${why}, so the permission is denied.` },
        });
      case 'external_tool.requested': {
        const toolName = data['toolName'];
        if (typeof toolName !== 'string' || !ownsTool(toolName)) return;
        const text = `${why}, so the tool did not run.`;
        return answer('session.tools.handlePendingToolCall', requestId, {
          result: { textResultForLlm: text, resultType: 'failure', error: text },
        });
      }
      case 'auto_mode_switch.requested':
        return answer('session.ui.handlePendingAutoModeSwitch', requestId, { response: 'no' });
      default:
        return;
    }
  }
}

function rawEventData(raw: unknown): Record<string, unknown> {
  const event = (raw as { event?: { data?: unknown } } | undefined)?.event;
  const data = event?.data;
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}
