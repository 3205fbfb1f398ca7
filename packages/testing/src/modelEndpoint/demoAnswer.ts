/**
 * The offline demo's answer to a prompt without markers: a topic of the built-in corpus chosen from the
 * prompt's words, cut the way a hosted model streams (one to three words a chunk, unevenly), with the
 * reasoning first. Deterministic, so a test can still predict every chunk.
 */
import { DEMO_TOPICS, FALLBACK_TOPIC, type DemoTopic } from './demoCorpus.js';

/** Milliseconds between the demo's chunks: about 30 chunks a second, the pace of a hosted model. */
export const DEMO_PACE_MS = 30;

/** Words per chunk, cycled: a hosted model's chunks vary in size, and even ones look mechanical. */
const WORDS_PER_CHUNK = [2, 1, 3, 2, 1, 2, 3, 1] as const;

/** The demo's answer to one prompt, ready to stream. */
export interface DemoAnswer {
  /** The corpus topic it came from (`fallback` when the prompt matched none). */
  readonly topic: string;
  readonly reasoningChunks: readonly string[];
  readonly answerChunks: readonly string[];
}

/** The demo's answer to `prompt`: its topic's reasoning and answer, shortened as the prompt asks. */
export function demoAnswer(prompt: string): DemoAnswer {
  const topic = chooseDemoTopic(prompt);
  return {
    topic: topic.id,
    reasoningChunks: demoChunks(topic.reasoning),
    answerChunks: demoChunks(shorten(topic.answer, prompt)),
  };
}

/**
 * The first topic (in corpus order, most specific first) one of whose keywords the prompt mentions; a
 * word matches a keyword it equals, or, for keywords of four letters or more, one it starts with
 * ("Observables" matches "observable", "hi" does not match "history").
 */
export function chooseDemoTopic(prompt: string): DemoTopic {
  const words = prompt.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const mentions = (keyword: string) => words.some((word) => word === keyword || (keyword.length >= 4 && word.startsWith(keyword)));
  return DEMO_TOPICS.find((topic) => topic.keywords.some(mentions)) ?? FALLBACK_TOPIC;
}

/**
 * Cuts a text the way a hosted model streams it: whole words with their leading whitespace, one to
 * three a chunk. The chunks concatenate to the text exactly.
 */
export function demoChunks(text: string): string[] {
  const words = text.match(/\s*\S+/g) ?? [];
  const chunks: string[] = [];
  for (let at = 0, i = 0; at < words.length; i++) {
    const size = WORDS_PER_CHUNK[i % WORDS_PER_CHUNK.length]!;
    chunks.push(words.slice(at, at + size).join(''));
    at += size;
  }
  return chunks;
}

const NUMBER_WORDS: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5, a: 1 };

/**
 * Honours the length a prompt asks for, as a model would: "in two sentences" keeps two sentences, "in a
 * few words" two (a greeting and one line), "briefly" the first paragraph; anything else keeps the whole answer.
 */
function shorten(answer: string, prompt: string): string {
  const lower = prompt.toLowerCase();
  const asked = /\b(?:in|with)\s+(\d+|one|two|three|four|five|a)\s+sentences?\b/.exec(lower)?.[1];
  const sentences = asked === undefined ? (/\bfew words\b/.test(lower) ? 2 : undefined) : (NUMBER_WORDS[asked] ?? Number(asked));
  if (sentences !== undefined) return firstSentences(answer, Math.max(1, sentences));
  if (/\b(briefly|brief|short)\b/.test(lower)) return answer.split('\n\n')[0]!;
  return answer;
}

/** The first `count` sentences, paragraph breaks kept between the ones that remain. */
function firstSentences(answer: string, count: number): string {
  const kept: string[] = [];
  let left = count;
  for (const paragraph of answer.split('\n\n')) {
    if (left === 0) break;
    // A sentence ends at . ! or ? before whitespace, so "session.create" stays whole.
    const taken = paragraph.split(/(?<=[.!?])\s+/).slice(0, left);
    left -= taken.length;
    kept.push(taken.join(' '));
  }
  return kept.join('\n\n');
}
