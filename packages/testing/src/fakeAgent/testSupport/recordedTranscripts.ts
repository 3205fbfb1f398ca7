import { readTranscriptText } from '../../../../../fixtures/transcripts';
import { parseTranscript, TranscriptFormatError, type TranscriptEntry } from '../../transcripts/format';

/**
 * A real CLI recording from the repository's fixtures/transcripts (by name, e.g. `raw-capi-plain.jsonl`;
 * stored gzipped or not), parsed and validated as the package's own `loadTranscript` would.
 */
export function recordedTranscript(name: string): TranscriptEntry[] {
  try {
    return parseTranscript(readTranscriptText(name));
  } catch (error) {
    if (error instanceof TranscriptFormatError) throw new TranscriptFormatError(`${name}: ${error.message}`);
    throw error;
  }
}
