/**
 * An elicitation in the middle of a message, shaped as CLI 1.0.102 sends it
 * (fixtures/transcripts/cli-1.0.102/parity): `elicitation.requested` with the form, then, once the
 * client answers with `session.ui.handlePendingElicitation`, `elicitation.completed` with its action
 * and content, emitted before the answer's response as the CLI does for its other prompts.
 */
import { defer, map, of, type Observable } from 'rxjs';
import type { Params } from '../rpc/params.js';
import type { CallOutcome } from './replyCall.js';
import type { TurnHost, TurnRun } from './TurnHost.js';
import type { ElicitCall } from './TurnScript.js';

const DEFAULT_SCHEMA = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };

interface ElicitationResult {
  readonly action: string;
  readonly content?: unknown;
}

export function elicitCall(call: ElicitCall, host: TurnHost, run: TurnRun): Observable<CallOutcome> {
  return defer(() => {
    const toolCallId = host.nextToolCallId();
    if (!host.requestElicitation) {
      run.toolOutcomes.push({ toolCallId, toolName: 'elicitation', success: false, content: JSON.stringify({ action: 'cancel' }) });
      return of<CallOutcome>('continue');
    }
    const requestId = host.newId();
    host.emit('elicitation.requested', {
      requestId,
      elicitationSource: call.source ?? 'fake-mcp',
      message: call.message,
      requestedSchema: call.requestedSchema ?? DEFAULT_SCHEMA,
    });
    return host
      .waitForAnswer('elicitation', requestId, (params) => {
        const result = elicitationResult(params);
        host.emit('elicitation.completed', { requestId, ...result });
        return result;
      })
      .pipe(
        map((result): CallOutcome => {
          run.toolOutcomes.push({ toolCallId, toolName: 'elicitation', success: result.action === 'accept', content: JSON.stringify(result) });
          return 'continue';
        }),
      );
  });
}

/** The client's `result`: `{ action, content? }`. An answer without an action is read as a cancel. */
function elicitationResult(params: Params): ElicitationResult {
  const raw = params.raw['result'];
  const result = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : undefined;
  const action = typeof result?.['action'] === 'string' ? result['action'] : 'cancel';
  return result?.['content'] === undefined ? { action } : { action, content: result['content'] };
}
