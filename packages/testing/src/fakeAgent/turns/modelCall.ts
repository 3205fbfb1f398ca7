/**
 * The frame every model call shares: `assistant.turn_start` and the context gauge before it,
 * `assistant.usage` before the message (it arrives first on the wire, protocol.md §5.1), and
 * `assistant.turn_end` after it. Token figures are fixed, plausible numbers: the fake has no model.
 */
import type { TurnHost, TurnRun } from './TurnHost.js';

const TOKEN_LIMIT = 100_000;
const SYSTEM_TOKENS = 5_084;
const TOOL_DEFINITION_TOKENS = 4_843;

/** One model call in progress. */
export interface ModelCallFrame {
  readonly turnId: string;
  readonly startedAt: number;
  readonly apiCallId: string;
}

/** Starts a model call: `assistant.turn_start`, `session.usage_info`, and compaction_start on the first call when scripted. */
export function openModelCall(host: TurnHost, run: TurnRun): ModelCallFrame {
  const turnId = run.nextTurnId();
  run.openTurnId = turnId;
  run.modelCalls += 1;
  host.emit('assistant.turn_start', { turnId, interactionId: run.interactionId });
  const conversationTokens = 36 + 40 * run.toolOutcomes.length;
  const currentTokens = SYSTEM_TOKENS + TOOL_DEFINITION_TOKENS + conversationTokens;
  if (run.modelCalls === 1 && run.script.compaction === true) {
    host.emit('session.compaction_start', {
      systemTokens: SYSTEM_TOKENS,
      conversationTokens,
      toolDefinitionsTokens: TOOL_DEFINITION_TOKENS,
      currentTokens,
      tokenLimit: TOKEN_LIMIT,
      trigger: 'threshold',
    });
  }
  host.emit('session.usage_info', {
    tokenLimit: TOKEN_LIMIT,
    currentTokens,
    messagesLength: 2 + 2 * run.toolOutcomes.length,
    systemTokens: SYSTEM_TOKENS,
    conversationTokens,
    toolDefinitionsTokens: TOOL_DEFINITION_TOKENS,
    isInitial: run.modelCalls === 1,
  });
  return { turnId, startedAt: host.scheduler.now(), apiCallId: host.nextApiCallId() };
}

/** `assistant.usage` for a finished call. */
export function emitUsage(
  host: TurnHost,
  run: TurnRun,
  frame: ModelCallFrame,
  outcome: { readonly finishReason: 'stop' | 'tool_calls'; readonly outputText: string; readonly toolNames?: readonly string[] },
  extra: Readonly<Record<string, unknown>> = {},
): void {
  const toolCounts: Record<string, number> = {};
  for (const name of outcome.toolNames ?? []) toolCounts[name] = (toolCounts[name] ?? 0) + 1;
  host.emit('assistant.usage', {
    model: host.model,
    inputTokens: 100,
    outputTokens: Math.max(1, Math.ceil(outcome.outputText.length / 4)),
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cost: 1,
    duration: host.scheduler.now() - frame.startedAt,
    initiator: run.modelCalls === 1 ? 'user' : 'agent',
    apiCallId: frame.apiCallId,
    apiEndpoint: '/chat/completions',
    transport: 'http',
    numToolCalls: outcome.toolNames?.length ?? 0,
    toolCounts,
    finishReason: outcome.finishReason,
    ...extra,
  });
}

/** Ends the model call: `assistant.turn_end`. */
export function closeModelCall(host: TurnHost, run: TurnRun, frame: ModelCallFrame): void {
  run.openTurnId = undefined;
  host.emit('assistant.turn_end', { turnId: frame.turnId });
}
