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
