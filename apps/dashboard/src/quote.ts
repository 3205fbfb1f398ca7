/** How much of a value from outside an error message or a display may show. */
export interface QuoteLimits {
  /** Characters of output before it is cut with "…". Default 80. */
  readonly maxChars?: number;
  /** Levels of arrays and objects shown; deeper ones show as […] and {…}. Default 3. */
  readonly maxDepth?: number;
}

/**
 * A value from outside (a request body's field, a path segment, a header, the CLI's tool arguments)
 * as JSON text for a message, bounded: at most `maxChars` characters and `maxDepth` levels. Short,
 * shallow JSON values come out exactly as `JSON.stringify` writes them. Never `JSON.stringify` such a
 * value whole: 20,000 nested arrays overflow its stack, and a megabyte string would be echoed back.
 * The walk stops as soon as the output is full, so a huge value costs no more than a small one.
 */
export function quote(value: unknown, { maxChars = 80, maxDepth = 3 }: QuoteLimits = {}): string {
  let out = '';
  const full = () => out.length > maxChars;
  const write = (item: unknown, depth: number): void => {
    if (full()) return;
    if (typeof item === 'string') {
      out += JSON.stringify(item.length > maxChars ? item.slice(0, maxChars + 1) : item);
    } else if (typeof item !== 'object' || item === null) {
      out += typeof item === 'number' || typeof item === 'boolean' || item === null ? JSON.stringify(item) : String(item);
    } else if (Array.isArray(item)) {
      if (depth >= maxDepth) return void (out += item.length === 0 ? '[]' : '[…]');
      out += '[';
      for (let i = 0; i < item.length && !full(); i++) {
        if (i > 0) out += ',';
        write(item[i], depth + 1);
      }
      out += ']';
    } else {
      const fields = item as Record<string, unknown>;
      let first = true;
      out += '{';
      // for...in, not Object.keys: a million keys must not be listed to show three.
      for (const key in fields) {
        if (!Object.hasOwn(fields, key)) continue;
        if (depth >= maxDepth || full()) {
          out += '…';
          break;
        }
        out += `${first ? '' : ','}${JSON.stringify(key.slice(0, maxChars + 1))}:`;
        first = false;
        write(fields[key], depth + 1);
      }
      out += '}';
    }
  };
  try {
    write(value, 0);
  } catch {
    // A getter or a proxy that throws: say so rather than fail the message that quotes it.
    return '(a value that cannot be shown)';
  }
  return shorten(out, maxChars);
}

/** `text` cut to at most `max` characters and "…", never between the two halves of a surrogate pair. */
export function shorten(text: string, max = 80): string {
  if (text.length <= max) return text;
  const cut = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, cut)}…`;
}
