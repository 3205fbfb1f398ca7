/** The building blocks scripts run on: an action, a pause on the agent's scheduler, text chunking. */
import { defer, EMPTY, ignoreElements, timer, type Observable, type SchedulerLike } from 'rxjs';
import type { Chunking } from './TurnScript.js';

/** Runs `effect` when subscribed, then completes; a step in a `concat` of steps. */
export function act(effect: () => void): Observable<never> {
  return defer(() => {
    effect();
    return EMPTY;
  });
}

/** Waits `ms` on `scheduler` (nothing at all for 0, so unpaced scripts stay synchronous). */
export function pause(ms: number | undefined, scheduler: SchedulerLike): Observable<never> {
  return ms !== undefined && ms > 0 ? timer(ms, scheduler).pipe(ignoreElements()) : EMPTY;
}

/** The recorded fake model streamed 8-character chunks. */
const DEFAULT_CHUNK_LENGTH = 8;

/**
 * Cuts `text` into the deltas to stream: the given chunks as they are, `n` near-equal parts, or by
 * default 8-character pieces. An empty text is one empty chunk (a message still has one delta).
 */
export function splitText(text: string, chunking: Chunking | undefined): readonly string[] {
  if (typeof chunking === 'object') return chunking;
  const characters = Array.from(text); // by code point, so a chunk never splits a surrogate pair
  if (characters.length === 0) return [''];
  if (chunking === undefined) {
    const pieces: string[] = [];
    for (let start = 0; start < characters.length; start += DEFAULT_CHUNK_LENGTH) {
      pieces.push(characters.slice(start, start + DEFAULT_CHUNK_LENGTH).join(''));
    }
    return pieces;
  }
  const count = chunking;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`chunks must be a positive integer. Got ${String(chunking)}`);
  const parts = Math.min(count, characters.length);
  const chunks: string[] = [];
  for (let i = 0; i < parts; i++) {
    chunks.push(characters.slice(Math.floor((i * characters.length) / parts), Math.floor(((i + 1) * characters.length) / parts)).join(''));
  }
  return chunks;
}
