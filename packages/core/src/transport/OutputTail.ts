/**
 * The last lines a process wrote to one of its streams, bounded in lines and characters, for error
 * messages. Secrets the process was given (tokens) are masked when the tail is read, so an error
 * message quoting the CLI's stderr cannot leak them.
 */
import { StringDecoder } from 'node:string_decoder';

/** Bounds of an `OutputTail`. */
export interface OutputTailConfig {
  /** How many lines are kept. Default: 40. */
  readonly maxLines?: number;
  /** How many characters are kept. Default: 8 192. */
  readonly maxChars?: number;
  /** Strings replaced by `***` in `text()`. Empty strings are ignored. */
  readonly secrets?: readonly string[];
}

export class OutputTail {
  readonly #maxLines: number;
  readonly #maxChars: number;
  readonly #secrets: readonly string[];
  // Decodes across chunk boundaries, so a multi-byte character split between chunks stays whole.
  readonly #decoder = new StringDecoder('utf8');
  #text = '';

  constructor(config: OutputTailConfig = {}) {
    this.#maxLines = config.maxLines ?? 40;
    this.#maxChars = config.maxChars ?? 8192;
    this.#secrets = (config.secrets ?? []).filter((secret) => secret !== '');
  }

  /** Appends a chunk; only the newest text within the bounds is kept. */
  push(chunk: Buffer | string): void {
    this.#text += typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    // Trim lazily (at twice the bound) so a stream of small chunks does not copy the tail each time.
    if (this.#text.length > 2 * this.#maxChars) this.#text = this.#trimmed();
  }

  /** The kept tail, secrets masked; "" when nothing was written. */
  text(): string {
    let text = this.#trimmed();
    for (const secret of this.#secrets) text = text.split(secret).join('***');
    return text;
  }

  #trimmed(): string {
    let text = this.#text;
    if (text.length > this.#maxChars) {
      text = text.slice(-this.#maxChars);
      // Drop the cut first line: a partial line could hold the end of a secret that no longer matches.
      const newline = text.indexOf('\n');
      if (newline >= 0 && newline < text.length - 1) text = text.slice(newline + 1);
    }
    const lines = text.split('\n');
    // A trailing newline leaves an empty last element; it is not a line of its own.
    const keep = this.#maxLines + (lines[lines.length - 1] === '' ? 1 : 0);
    return lines.length > keep ? lines.slice(-keep).join('\n') : text;
  }
}
