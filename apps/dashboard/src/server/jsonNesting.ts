/**
 * Where `text`, read as JSON, first opens an array or object deeper than `maxDepth` levels, or
 * undefined when it never does. A scan of the text, not of the parsed value: it allocates nothing
 * and recurses nowhere, so it can refuse 200,000 nested brackets before anything walks them.
 * Brackets inside strings do not count; the text need not be valid JSON.
 */
export function tooDeepAt(text: string, maxDepth: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '[' || char === '{') {
      if (++depth > maxDepth) return i;
    } else if (char === ']' || char === '}') {
      depth--;
    }
  }
  return undefined;
}
