/**
 * The responder's last line of defence: when answering a request fails in a way no handler guard
 * foresaw (here: the session's handler bookkeeping throws), the CLI, which waits for an answer, still
 * gets the safe one, and the failure is reported.
 */
import { EMPTY } from 'rxjs';
import type { SessionEvent } from '../codecs/sessionEvent';
import type { SessionConfig } from './config';
import type { AnswerFailure, SessionHost } from './host';
import { respondToBroadcast, type ResponderContext } from './responder';

const broken = new Error('handler bookkeeping broke');

/** A session whose every handler would answer, but whose running-handler set cannot be reached. */
function brokenSession() {
  const sent: { method: string; params: object }[] = [];
  const failures: AnswerFailure[] = [];
  const host = {
    request: (method: string, params: object) => {
      sent.push({ method, params });
      return EMPTY;
    },
    reportAnswerFailure: (failure: AnswerFailure) => void failures.push(failure),
  } as unknown as SessionHost;
  const config: SessionConfig = {
    onPermissionRequest: () => ({ kind: 'approve-once' }),
    tools: [{ name: 'deploy', handler: () => 'deployed' }],
    onAutoModeSwitch: () => 'yes',
    onElicitation: () => ({ action: 'accept', content: { name: 'Ada' } }),
    onMcpAuth: () => ({ accessToken: 'secret-token' }),
  };
  const context: ResponderContext = {
    id: 's1',
    config,
    host,
    runningHandlers: () => {
      throw broken;
    },
    handlerSettled: () => undefined,
  };
  return { context, sent, failures };
}

const request = (type: string, data: object): SessionEvent =>
  ({ id: `${type}-event`, timestamp: '2026-12-01T00:00:00.000Z', parentId: null, type, data }) as unknown as SessionEvent;

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('respondToBroadcast when answering fails unforeseen', () => {
  it.each([
    [
      'permission.requested',
      { requestId: 'p1', permissionRequest: { kind: 'shell' } },
      'session.permissions.handlePendingPermissionRequest',
      { result: { kind: 'reject', feedback: 'Permission denied by copilot-rx: copilot-rx failed while answering it.' } },
    ],
    [
      'external_tool.requested',
      { requestId: 'p1', toolName: 'deploy', toolCallId: 'c1', arguments: {} },
      'session.tools.handlePendingToolCall',
      { result: expect.objectContaining({ resultType: 'failure', textResultForLlm: expect.stringMatching(/^Tool 'deploy' failed\. /) }) },
    ],
    ['auto_mode_switch.requested', { requestId: 'p1' }, 'session.ui.handlePendingAutoModeSwitch', { response: 'no' }],
    ['elicitation.requested', { requestId: 'p1', message: 'Name?' }, 'session.ui.handlePendingElicitation', { result: { action: 'cancel' } }],
    ['mcp.oauth_required', { requestId: 'p1', serverName: 'docs' }, 'session.mcp.oauth.handlePendingRequest', { result: { kind: 'cancelled' } }],
  ])('%s: the safe answer is sent and the failure reported', async (type, data, method, safeAnswer) => {
    const { context, sent, failures } = brokenSession();
    respondToBroadcast(context, request(type, data));
    await settle();
    expect(sent).toEqual([{ method, params: { sessionId: 's1', requestId: 'p1', ...safeAnswer } }]);
    expect(failures).toEqual([{ sessionId: 's1', method, requestId: 'p1', reason: 'handler-failed', error: broken }]);
  });

  it("leaves another client's request alone: a tool it does not own", async () => {
    const { context, sent, failures } = brokenSession();
    respondToBroadcast(context, request('external_tool.requested', { requestId: 'p1', toolName: 'other', toolCallId: 'c1', arguments: {} }));
    await settle();
    expect(sent).toEqual([]);
    expect(failures).toEqual([]);
  });
});
