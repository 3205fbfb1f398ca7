/**
 * The recorded traffic the benchmarks replay: the CLI→client notifications of
 * raw-capi-chunks-5000.jsonl (a real 5,000-chunk turn of CLI 1.0.102: ~10k session.event
 * notifications), repeated with fresh ids so de-duplication keeps every copy, and fanned out over
 * any number of sessions.
 */
import { readTranscriptText } from '../../fixtures/transcripts/index.js';
import { frame } from './frames.mjs';

/** A name in the repository's fixtures/transcripts (stored gzipped there; the loader unpacks it). */
export const DEFAULT_RECORDING = 'raw-capi-chunks-5000.jsonl';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** The notifications as JSON texts, the recorded session id, and the recorded answers to reuse. */
export function loadRecording(name = DEFAULT_RECORDING) {
  const lines = readTranscriptText(name).split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const notifications = [];
  let createResult;
  let sessionId;
  for (const { dir, msg } of lines) {
    if (dir !== 'cli->client') continue;
    if (msg.method !== undefined && msg.id === undefined) notifications.push({ text: JSON.stringify(msg), isEvent: msg.method === 'session.event' });
    if (msg.result?.sessionId && !createResult) {
      createResult = msg.result;
      sessionId = msg.result.sessionId;
    }
  }
  return { notifications, sessionId, createResult };
}

/** Session ids the benchmark clients choose (UUID-shaped, like the CLI's). */
export function benchSessionId(index) {
  return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

/**
 * The recording repeated `repetitions` times as framed bytes, in ~1 MiB chunks. Every UUID but the
 * session id gets repetition `firstRepetition + r` written into its first 8 hex digits (event ids,
 * parentIds, messageIds stay unique per copy); the i-th notification goes to session `i % sessions`.
 */
export function buildFlood(recording, { repetitions, sessions = 1, firstRepetition = 0 }) {
  const chunks = [];
  let parts = [];
  let partBytes = 0;
  let events = 0;
  let notifications = 0;
  for (let r = 0; r < repetitions; r++) {
    const prefix = (firstRepetition + r).toString(16).padStart(8, '0');
    for (const { text, isEvent } of recording.notifications) {
      const target = benchSessionId(notifications % sessions);
      const rewritten = text.replace(UUID, (id) => (id === recording.sessionId ? target : prefix + id.slice(8)));
      const bytes = frame(rewritten);
      parts.push(bytes);
      partBytes += bytes.length;
      notifications++;
      if (isEvent) events++;
      if (partBytes >= 1 << 20) {
        chunks.push(Buffer.concat(parts, partBytes));
        parts = [];
        partBytes = 0;
      }
    }
  }
  if (parts.length > 0) chunks.push(Buffer.concat(parts, partBytes));
  return { chunks, events, notifications, bytes: chunks.reduce((n, c) => n + c.length, 0) };
}
