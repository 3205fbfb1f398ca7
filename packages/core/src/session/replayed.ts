/**
 * Which events are history rather than live: `resumeSession(id, { replay })` delivers events the CLI
 * had already emitted before this client attached, and marks each one here. The mark lives beside
 * the event (a WeakSet), not on it, so a replayed event has exactly the decoded shape of a live one
 * and the mark is collected with the event.
 */
const replayed = new WeakSet<object>();

/** @internal Marks an event as history (delivered by a replay, not as it happened). */
export function markReplayed<T extends object>(event: T): T {
  replayed.add(event);
  return event;
}

/**
 * True for an event that reached this client as history, replayed by `resumeSession(id, { replay })`;
 * false for live events, including the ones a reconnect recovered (they are new to this client).
 *
 * ```ts
 * session.events$.pipe(filter((event) => !isReplayed(event)))   // live only
 * ```
 */
export function isReplayed(event: object): boolean {
  return replayed.has(event);
}
