/**
 * The session ids of a replayed transcript, mapped to the ones the client chose. Clients pick their
 * session ids themselves (protocol.md §2.1), so a recorded `session.create` comes back with another
 * id; every later CLI message must then name the client's id or its events would go nowhere.
 */
export class IdSubstitutions {
  readonly #map = new Map<string, string>();

  /** Learns from a recorded request's params and the params the client actually sent. */
  learn(recorded: unknown, actual: unknown): void {
    const from = sessionIdOf(recorded);
    const to = sessionIdOf(actual);
    if (from !== undefined && to !== undefined && from !== to) this.#map.set(from, to);
  }

  /** A copy of `value` with every recorded id replaced, inside any string (ids also appear in paths). */
  apply(value: unknown): unknown {
    if (this.#map.size === 0) return value;
    return this.#replace(value);
  }

  #replace(value: unknown): unknown {
    if (typeof value === 'string') {
      let result = value;
      for (const [from, to] of this.#map) if (result.includes(from)) result = result.split(from).join(to);
      return result;
    }
    if (Array.isArray(value)) return value.map((item) => this.#replace(item));
    if (typeof value === 'object' && value !== null) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) copy[key] = this.#replace(item);
      return copy;
    }
    return value;
  }
}

function sessionIdOf(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const id = (params as Record<string, unknown>)['sessionId'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}
