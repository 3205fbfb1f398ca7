import path from 'node:path';

/** The real CLI traffic recorded beside the repository (shared/transcripts), as core's specs use it. */
export const SHARED_TRANSCRIPTS = path.resolve(__dirname, '../../../../../../shared/transcripts');

export function sharedTranscript(name: string): string {
  return path.join(SHARED_TRANSCRIPTS, name);
}
