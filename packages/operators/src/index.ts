export type { EventLike } from './events';
export type { AgentSelector } from './agents';
export { ofType } from './ofType';
export { accumulateText, type AccumulateTextConfig, type TextSnapshot, type ReasoningSnapshot, type SnapshotFields } from './accumulateText';
export { bufferDeltas, type BufferDeltasConfig, type DeltaBoundary, type DeltaChunk } from './bufferDeltas';
export { smoothText, type SmoothTextConfig, type SmoothTextChunking } from './smoothText';
export { countTokens, type CountTokensConfig, type TokenCount, type ExactTokens } from './countTokens';
export type { TokenEncoding } from './tokenTally';
export { usageTotals, type UsageTotalsConfig, type UsageTotals, type UsageFigures } from './usageTotals';
