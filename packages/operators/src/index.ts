/**
 * @copilot-rx/operators: RxJS operators over the session events of the Copilot CLI (core's
 * `SessionEvent` stream, or any stream of plain objects of the same shape). One operator a file;
 * see README.md for the marble diagrams and examples.
 */
export type { EventLike } from './events';
export type { AgentSelector } from './agents';
export { ofType } from './ofType';
export { accumulateText, type AccumulateTextConfig, type TextSnapshot, type ReasoningSnapshot, type SnapshotFields } from './accumulateText';
export { bufferDeltas, type BufferDeltasConfig, type DeltaBoundary, type DeltaChunk } from './bufferDeltas';
export { smoothText, type SmoothTextConfig, type SmoothTextChunking } from './smoothText';
export { countTokens, type CountTokensConfig, type TokenCount, type ExactTokens } from './countTokens';
export type { TokenEncoding } from './tokenTally';
export { usageTotals, type UsageTotalsConfig, type UsageTotals, type UsageFigures } from './usageTotals';
export { IdleTimeoutError, FirstTokenTimeoutError, type IdleSnapshot, type SeenEvent, type OpenTool, type PendingRequest } from './errors';
export { detectIdle, type DetectIdleConfig } from './detectIdle';
export { untilIdle } from './untilIdle';
export { firstTokenTimeout, type FirstTokenTimeoutConfig } from './firstTokenTimeout';
export { turns } from './turns';
export { toolCalls, type ToolCallsConfig, type ToolCallState, type ToolCallStatus } from './toolCalls';
export { streamMetrics, type StreamMetricsConfig, type StreamMetrics } from './streamMetrics';
export { compactionStatus, type CompactionStatusConfig, type CompactionStatus, type CompactionResult } from './compactionStatus';
export { dedupeEvents, type DedupeEventsConfig } from './dedupeEvents';
export { chainGaps, type ChainGap } from './chainGaps';
