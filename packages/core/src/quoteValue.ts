/**
 * Quotes a value from outside (a CLI message, a field that broke a codec) for an error message,
 * BOUNDED: at most `maxDepth` levels and about `maxChars` characters, whatever the value is.
 *
 * Why not `JSON.stringify`: it recurses once per nesting level, so a value nested ~10,000 levels deep
 * (which `JSON.parse` builds without complaint) overflows the stack while an error is being
 * described; and it copies the whole value (a 60 MB string) before anyone can cut it. Here the depth
 * is capped, so the recursion is too, and every loop stops as soon as the character budget is spent.
 * Nothing here throws: a getter or a Proxy that throws is quoted as `?`.
 */

export interface QuoteConfig {
  /** Levels of arrays and objects shown; deeper ones print as `[…]` / `{…}`. Default: 3. */
  readonly maxDepth?: number;
  /** Characters of output, after which it is cut and ends in `…`. Default: 200. */
  readonly maxChars?: number;
}

export const DEFAULT_QUOTE_DEPTH = 3;
export const DEFAULT_QUOTE_CHARS = 200;

const CUT = '…';

/** `value` as JSON-like text of at most `maxChars` characters (plus the `…` that marks a cut). */
export function quoteValue(value: unknown, config: QuoteConfig = {}): string {
  const maxChars = config.maxChars ?? DEFAULT_QUOTE_CHARS;
  const out = new Budgeted(maxChars);
  write(out, value, config.maxDepth ?? DEFAULT_QUOTE_DEPTH);
  return out.text();
}

/** Collects output until the budget is spent; `full` tells every loop to stop. */
class Budgeted {
  readonly #parts: string[] = [];
  #length = 0;

  constructor(readonly budget: number) {}

  get full(): boolean {
    return this.#length > this.budget;
  }

  /** Characters still wanted (one more than the budget, so a cut can be detected). */
  get room(): number {
    return this.budget + 1 - this.#length;
  }

  add(text: string): void {
    if (this.full) return;
    this.#parts.push(text);
    this.#length += text.length;
  }

  text(): string {
    const joined = this.#parts.join('');
    return joined.length <= this.budget ? joined : `${joined.slice(0, this.budget)}${CUT}`;
  }
}

function write(out: Budgeted, value: unknown, depth: number): void {
  try {
    writeUnguarded(out, value, depth);
  } catch {
    out.add('?');
  }
}

function writeUnguarded(out: Budgeted, value: unknown, depth: number): void {
  switch (typeof value) {
    case 'string':
      // Cut before escaping: escaping a 60 MB string to show 200 characters of it would copy it all.
      out.add(JSON.stringify(value.length > out.room ? value.slice(0, out.room) : value));
      return;
    case 'number':
    case 'boolean':
      out.add(String(value));
      return;
    case 'bigint':
      out.add(`${value}n`);
      return;
    case 'undefined':
      out.add('undefined');
      return;
    case 'symbol':
      out.add(value.toString());
      return;
    case 'function':
      out.add('[function]');
      return;
  }
  if (value === null) {
    out.add('null');
    return;
  }
  if (Array.isArray(value)) writeArray(out, value, depth);
  else writeObject(out, value as Record<string, unknown>, depth);
}

/** Reads the property inside the guard: a getter may throw. */
function writeProperty(out: Budgeted, object: Record<string, unknown>, key: string, depth: number): void {
  let value: unknown;
  try {
    value = object[key];
  } catch {
    return out.add('?');
  }
  write(out, value, depth);
}

function writeArray(out: Budgeted, array: readonly unknown[], depth: number): void {
  if (array.length === 0) return out.add('[]');
  if (depth <= 0) return out.add(`[${CUT}]`);
  out.add('[');
  for (let i = 0; i < array.length && !out.full; i++) {
    if (i > 0) out.add(',');
    write(out, array[i], depth - 1);
  }
  out.add(']');
}

function writeObject(out: Budgeted, object: Record<string, unknown>, depth: number): void {
  let first = true;
  // `for...in` rather than Object.keys: a million keys are not listed to show three of them.
  for (const key in object) {
    if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
    if (depth <= 0) return out.add(`{${CUT}}`);
    out.add(first ? '{' : ',');
    first = false;
    out.add(JSON.stringify(key.length > out.room ? key.slice(0, out.room) : key));
    out.add(':');
    writeProperty(out, object, key, depth - 1);
    if (out.full) break;
  }
  out.add(first ? '{}' : '}');
}
