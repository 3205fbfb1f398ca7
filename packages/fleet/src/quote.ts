/**
 * A bounded description of a value from the wire, for error messages: never more than a few dozen
 * characters and one level deep, whatever a peer sent (core's `quoteValue` is not public).
 */
const MAX_CHARS = 80;
const MAX_KEYS = 6;

export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > MAX_CHARS ? `${value.slice(0, MAX_CHARS)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const keys = Object.keys(value);
  return `an object {${keys.slice(0, MAX_KEYS).join(', ')}${keys.length > MAX_KEYS ? ', …' : ''}}`;
}

/** Longest message of a peer's error carried in a record or an error of ours. */
export const MAX_MESSAGE_CHARS = 1_000;

/** A message cut to `max` characters (an ellipsis marks the cut): an error's text can be megabytes. */
export function clip(text: string, max = MAX_MESSAGE_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
