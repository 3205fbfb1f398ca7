/**
 * @copilot-rx/operators: RxJS operators over the session events of the Copilot CLI (core's
 * `SessionEvent` stream, or any stream of plain objects of the same shape). One operator a file;
 * see README.md for the marble diagrams and examples.
 */
export type { EventLike } from './events.js';
export type { AgentSelector } from './agents.js';
export { ofType, type OfType } from './ofType.js';
export { accumulateText, type AccumulateTextConfig, type TextSnapshot, type ReasoningSnapshot, type SnapshotFields } from './accumulateText.js';
export { bufferDeltas, type BufferDeltasConfig, type DeltaBoundary, type DeltaChunk } from './bufferDeltas.js';
export { smoothText, type SmoothTextConfig, type SmoothTextChunking } from './smoothText.js';
export { countTokens, type CountTokensConfig, type TokenCount, type ExactTokens } from './countTokens.js';
export type { TokenEncoding } from './tokenTally.js';
export { usageTotals, type UsageTotalsConfig, type UsageTotals, type UsageFigures } from './usageTotals.js';
export { IdleTimeoutError, FirstTokenTimeoutError, type IdleSnapshot, type SeenEvent, type OpenTool, type PendingRequest } from './errors.js';
export { detectIdle, type DetectIdleConfig } from './detectIdle.js';
export { untilIdle } from './untilIdle.js';
export { firstTokenTimeout, type FirstTokenTimeoutConfig } from './firstTokenTimeout.js';
export { turns } from './turns.js';
export { toolCalls, type ToolCallsConfig, type ToolCallState, type ToolCallStatus } from './toolCalls.js';
export { streamMetrics, type StreamMetricsConfig, type StreamMetrics } from './streamMetrics.js';
export { compactionStatus, type CompactionStatusConfig, type CompactionStatus, type CompactionResult } from './compactionStatus.js';
export { dedupeEvents, type DedupeEventsConfig } from './dedupeEvents.js';
export { chainGaps, type ChainGap } from './chainGaps.js';
