export { recordTranscript, type RecordTranscriptConfig, type TranscriptRecorder, type StreamPair } from './recordTranscript.js';
export { redactSecrets, REDACTED } from './redactSecrets.js';
export { replayTranscript, TranscriptReplay, type ReplayTranscriptConfig, type ReplayedConnection } from './replayTranscript.js';
export type { ReplayProgress } from './ReplayConnection.js';
export {
  loadTranscript,
  parseTranscript,
  saveTranscript,
  toJsonl,
  TranscriptFormatError,
  type TranscriptEntry,
  type TranscriptDirection,
} from './format.js';
