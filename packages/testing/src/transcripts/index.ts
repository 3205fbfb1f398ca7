export { recordTranscript, type RecordTranscriptConfig, type TranscriptRecorder, type StreamPair } from './recordTranscript';
export { replayTranscript, TranscriptReplay, type ReplayTranscriptConfig, type ReplayedConnection } from './replayTranscript';
export type { ReplayProgress } from './ReplayConnection';
export {
  loadTranscript,
  parseTranscript,
  saveTranscript,
  toJsonl,
  TranscriptFormatError,
  type TranscriptEntry,
  type TranscriptDirection,
} from './format';
