/**
 * Incremental token counting for streamed text, on top of gpt-tokenizer.
 *
 * Why gpt-tokenizer: it is pure JavaScript (no WASM or native build, so it runs in Node, browsers and
 * workers alike), synchronous once loaded, ships the OpenAI encodings `o200k_base` (GPT-4o, GPT-4.1,
 * GPT-5, o-series) and `cl100k_base` (GPT-4, GPT-3.5), matches tiktoken token for token, and is
 * actively maintained with types included. The encodings are large (o200k takes about 0.3 s and
 * 30 MB to load), so each is loaded on first use, not when this package is imported.
 */
import loadEncoding from './loadEncoding.cjs';

/** The encodings `countTokens` can use. */
export const TOKEN_ENCODINGS = ['o200k_base', 'cl100k_base'] as const;
export type TokenEncoding = (typeof TOKEN_ENCODINGS)[number];

interface Tokenizer {
  /** Counts the tokens of `text`, treating special-token text such as `<|endoftext|>` as plain text. */
  count(text: string): number;
  /** The tokens of `text`, special-token text as plain text. */
  encode(text: string): number[];
  decode(tokens: readonly number[]): string;
  /** The pre-tokenization split: BPE never merges across these pieces. */
  readonly pieces: RegExp;
}

// The pre-tokenization patterns of tiktoken (and gpt-tokenizer) for both encodings, verbatim.
const contraction = String.raw`'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE])`;
const splitPatterns: Record<TokenEncoding, string> = {
  cl100k_base: String.raw`${contraction}|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s+$|\s*[\r\n]|\s+(?!\S)|\s`,
  o200k_base: String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?:${contraction})?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?:${contraction})?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
};

const tokenizers = new Map<TokenEncoding, Tokenizer>();
const plainText = { disallowedSpecial: new Set<string>() };

/** Loads an encoding once per process (synchronously, so the first count is synchronous too). */
export function loadTokenizer(encoding: TokenEncoding): Tokenizer {
  let tokenizer = tokenizers.get(encoding);
  if (tokenizer === undefined) {
    if (!TOKEN_ENCODINGS.includes(encoding)) throw new RangeError(`countTokens encoding must be ${TOKEN_ENCODINGS.join(' or ')}. Got ${String(encoding)}`);
    const api = loadEncoding(encoding);
    tokenizer = {
      count: (text) => api.countTokens(text, plainText),
      encode: (text) => api.encode(text, plainText),
      decode: (tokens) => api.decode(tokens),
      pieces: new RegExp(splitPatterns[encoding], 'gu'),
    };
    tokenizers.set(encoding, tokenizer);
  }
  return tokenizer;
}

/**
 * Pieces kept open at the end of the text. Appending text can change the last two pieces (`don` `'`
 * + `t` becomes `don't`; `  ` + `b` becomes ` ` ` b`; `12` + `3` becomes `123`), not earlier ones:
 * the lookaheads of the split patterns reach at most three characters past a piece. A property
 * test checks the incremental count against counting the whole text at once, for both encodings.
 */
const OPEN_PIECES = 2;
/**
 * An open tail longer than this (one huge piece: a long run of symbols such as a markdown table rule,
 * of whitespace, or one very long word) is committed anyway, all but its last `KEEP_WHEN_CAPPED`
 * tokens. The tail is re-tokenized on every append and BPE cost grows faster than a piece's length:
 * without the cap a 10,000-character run costs seconds instead of milliseconds.
 */
const MAX_TAIL = 256;
const KEEP_WHEN_CAPPED = 8;

/**
 * The token count of a text that grows by appending, without re-tokenizing the whole text: the
 * pieces that can no longer change are counted once and forgotten; only the open tail is counted
 * again. `count` equals counting the whole text at once, except when a single piece grows longer than
 * 256 characters: BPE may then merge differently across a cut (rare; a token at most per cut).
 */
export class TokenTally {
  #committed = 0;
  #tail = '';
  #tailTokens = 0;

  constructor(private readonly tokenizer: Tokenizer) {}

  /** Tokens of everything appended so far. */
  get count(): number {
    return this.#committed + this.#tailTokens;
  }

  append(text: string): void {
    if (text === '') return;
    this.#tail += text;
    const pieces = [...this.#tail.matchAll(this.tokenizer.pieces)];
    // BPE runs on each piece alone, so each closed piece is counted alone: counting several pieces as
    // one string would split them again, differently at the end (`' '` and `' '` are two tokens,
    // `'  '` is one).
    let end = 0;
    for (const piece of pieces.slice(0, -OPEN_PIECES)) {
      this.#committed += this.tokenizer.count(piece[0]);
      end = piece.index + piece[0].length;
    }
    if (this.#tail.length - end > MAX_TAIL) {
      // Commit the tokens of the open text but its last few, cut where the tokenizer cut it: a cut
      // at an arbitrary character splits a token and miscounts at every cap (over 15 % on runs of
      // long tokens such as `=-=-`).
      const open = this.#tail.slice(end);
      const tokens = this.tokenizer.encode(open);
      for (let keep = KEEP_WHEN_CAPPED; keep < tokens.length; keep++) {
        const prefix = this.tokenizer.decode(tokens.slice(0, tokens.length - keep));
        // A token may end inside a multi-byte character, whose half decodes as U+FFFD.
        if (!open.startsWith(prefix)) continue;
        this.#committed += tokens.length - keep;
        end += prefix.length;
        break;
      }
    }
    this.#tail = this.#tail.slice(end);
    this.#tailTokens = this.tokenizer.count(this.#tail);
  }
}
