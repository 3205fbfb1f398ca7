/**
 * The transcript format of `recordTranscript` (and of the real CLI recordings in the repository's
 * fixtures/transcripts): JSON Lines, one `{ t, dir, msg }` per JSON-RPC message, in wire order.
 */
import { readFile, writeFile } from 'node:fs/promises';

/** Which way a message went. */
export type TranscriptDirection = 'client->cli' | 'cli->client';

/** One message on the wire. */
export interface TranscriptEntry {
  /** When it was seen, in epoch milliseconds. */
  readonly t: number;
  readonly dir: TranscriptDirection;
  /** The JSON-RPC message as it was framed. */
  readonly msg: unknown;
}

/** A transcript line that is not a valid entry. */
export class TranscriptFormatError extends Error {
  override readonly name = 'TranscriptFormatError';
}

/** Serialises entries as JSON Lines (a trailing newline after the last). */
export function toJsonl(entries: readonly TranscriptEntry[]): string {
  return entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
}

/**
 * Parses JSON Lines into entries; blank lines are skipped.
 * @throws TranscriptFormatError naming the line (1-based) and what was wrong with it.
 */
export function parseTranscript(jsonl: string): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  jsonl.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new TranscriptFormatError(`line ${index + 1}: not JSON (${error instanceof Error ? error.message : String(error)}). Got ${JSON.stringify(line.slice(0, 80))}`);
    }
    entries.push(validEntry(value, index + 1));
  });
  return entries;
}

/** Reads and parses a transcript file. */
export async function loadTranscript(file: string): Promise<TranscriptEntry[]> {
  try {
    return parseTranscript(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof TranscriptFormatError) throw new TranscriptFormatError(`${file}: ${error.message}`);
    throw error;
  }
}

/** Writes entries to a file as JSON Lines. */
export async function saveTranscript(file: string, entries: readonly TranscriptEntry[]): Promise<void> {
  await writeFile(file, toJsonl(entries), 'utf8');
}

function validEntry(value: unknown, line: number): TranscriptEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TranscriptFormatError(`line ${line}: an entry must be an object {t, dir, msg}`);
  }
  const { t, dir, msg } = value as Record<string, unknown>;
  if (typeof t !== 'number' || !Number.isFinite(t)) throw new TranscriptFormatError(`line ${line}: "t" must be a number of milliseconds. Got ${JSON.stringify(t)}`);
  if (dir !== 'client->cli' && dir !== 'cli->client') {
    throw new TranscriptFormatError(`line ${line}: "dir" must be "client->cli" or "cli->client". Got ${JSON.stringify(dir)}`);
  }
  if (typeof msg !== 'object' || msg === null) throw new TranscriptFormatError(`line ${line}: "msg" must be a JSON-RPC message object. Got ${JSON.stringify(msg)}`);
  return { t, dir, msg };
}
