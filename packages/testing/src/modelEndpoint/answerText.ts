/**
 * Deterministic answers derived from the prompt, so two sessions with different prompts get different
 * answers and a test can predict every chunk.
 */

/** Chunks of a derived answer when neither the prompt nor the scenario says how many. */
export const DEFAULT_ANSWER_CHUNKS = 4;
/** The most characters a chunk of an explicit answer text carries when no chunk count is given. */
export const EXPLICIT_TEXT_CHUNK_CHARS = 8;

/** The words of a prompt, markers left out; `['answer']` when there are none. */
export function promptWords(prompt: string): string[] {
  const words = prompt.replace(/\[\[[A-Za-z][\s\S]*?\]\]/g, ' ').match(/[\p{L}\p{N}]+/gu);
  return words ?? ['answer'];
}

/**
 * `count` answer chunks: the prompt's words in turn, each numbered by its chunk, space separated:
 * `Count-1`, ` for-2`, ` me-3`, ` Count-4`. The numbers make every chunk unique, so a test can tell a
 * missing, repeated or reordered chunk apart. The answer is the concatenation of the chunks.
 */
export function derivedAnswerChunks(prompt: string, count: number): string[] {
  const words = promptWords(prompt);
  return Array.from({ length: count }, (_, i) => `${i === 0 ? '' : ' '}${words[i % words.length]}-${i + 1}`);
}

/** `count` reasoning chunks in the same manner: `Thinking about Count (1).`, ` Thinking about for (2).` */
export function derivedReasoningChunks(prompt: string, count: number): string[] {
  const words = promptWords(prompt);
  return Array.from({ length: count }, (_, i) => `${i === 0 ? '' : ' '}Thinking about ${words[i % words.length]} (${i + 1}).`);
}

/**
 * Cuts a text into `count` pieces of near-equal length; with no count, into as few near-equal pieces
 * of at most `EXPLICIT_TEXT_CHUNK_CHARS` as it takes. Cuts fall between code points, never inside a
 * surrogate pair.
 */
export function splitIntoChunks(text: string, count?: number): string[] {
  const chars = Array.from(text);
  const pieces = Math.max(1, Math.min(count ?? Math.ceil(chars.length / EXPLICIT_TEXT_CHUNK_CHARS), chars.length));
  return Array.from({ length: pieces }, (_, i) =>
    chars.slice(Math.floor((i * chars.length) / pieces), Math.floor(((i + 1) * chars.length) / pieces)).join(''),
  );
}

/**
 * A token count for `usage`: one token per 4 characters, rounded up (OpenAI's rule of thumb for
 * English text). Realistic enough for token meters and rates, and exact to predict in a test.
 */
export function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}
