import { quote } from '../quote';

/** Shortens a text for a table cell or a timeline line, saying how much was left out. */
export function clip(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/**
 * JSON for display (a tool's arguments from the CLI), at most `max` characters and 6 levels deep;
 * never throws, and costs no more for a huge or deeply nested value than for a small one.
 */
export function displayJson(value: unknown, max = 200): string {
  return quote(value, { maxChars: max, maxDepth: 6 });
}
