/**
 * One user message's agent loop: the script's model calls one after the other until they run out or
 * one ends the loop (an error), then the compaction that ran alongside completes (protocol.md §7.4).
 * The idle events are the session's business, not the loop's: idle is per session (§5.4).
 */
import { concat, concatMap, defer, EMPTY, type Observable } from 'rxjs';
import { elicitCall } from './elicitCall.js';
import { crashCall, hangCall, queryErrorCall, rateLimitCall } from './failureCalls.js';
import { replyCall, type CallOutcome } from './replyCall.js';
import { act } from './steps.js';
import { toolCallsCall } from './toolCalls.js';
import type { TurnHost, TurnRun } from './TurnHost.js';
import type { ModelCall } from './TurnScript.js';

/** Runs `run.script` on `host`; completes when the loop is over. Unsubscribing stops it where it is. */
export function agentLoop(host: TurnHost, run: TurnRun): Observable<never> {
  return concat(
    callsFrom(0, host, run),
    act(() => {
      if (run.script.compaction === true) host.emit('session.compaction_complete', compactionResult(run));
    }),
  );
}

function callsFrom(index: number, host: TurnHost, run: TurnRun): Observable<never> {
  return defer(() => {
    const call = run.script.calls[index];
    if (call === undefined) return EMPTY;
    return modelCall(call, host, run).pipe(concatMap((outcome) => (outcome === 'continue' ? callsFrom(index + 1, host, run) : EMPTY)));
  });
}

function modelCall(call: ModelCall, host: TurnHost, run: TurnRun): Observable<CallOutcome> {
  switch (call.kind) {
    case 'reply':
      return replyCall(call, host, run);
    case 'tools':
      return toolCallsCall(call, host, run);
    case 'error':
      return queryErrorCall(call, host, run);
    case 'rateLimit':
      return rateLimitCall(call, host, run);
    case 'crash':
      return crashCall(call, host, run);
    case 'hang':
      return hangCall(call, host, run);
    case 'elicit':
      return elicitCall(call, host, run);
  }
}

function compactionResult(run: TurnRun): object {
  return {
    success: true,
    preCompactionTokens: 9_963,
    postCompactionTokens: 6_120,
    preCompactionMessagesLength: 2 + 2 * run.toolOutcomes.length,
    messagesRemoved: 1,
    tokensRemoved: 3_843,
    summaryContent: `<overview>\nThe user asked: ${run.prompt}\n</overview>`,
    compactionTokensUsed: { inputTokens: 1_150, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, duration: 14, model: 'claude-sonnet-4.5' },
    tokenLimit: 100_000,
    trigger: 'threshold',
  };
}
