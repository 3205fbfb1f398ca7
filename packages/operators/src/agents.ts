import type { EventLike } from './events.js';

/**
 * Whose events an operator reads. Sub-agents run inside the same session and their events carry an
 * envelope-level `agentId` (protocol.md §4.1); main-agent and session-level events have none.
 *
 * - `'main'`: only events without `agentId` (the main agent). The default everywhere.
 * - `'all'`: every agent; the operator's output carries `agentId` so the streams stay separable.
 * - a predicate over `agentId` (`undefined` for the main agent), e.g. `(id) => id === 'explore-1'`.
 */
export type AgentSelector = 'main' | 'all' | ((agentId: string | undefined) => boolean);

/** Turns an `AgentSelector` into a test on an event. A predicate that throws errors the operator. */
export function selectAgents(selector: AgentSelector): (event: EventLike) => boolean {
  if (selector === 'main') return (event) => event.agentId === undefined;
  if (selector === 'all') return () => true;
  return (event) => selector(event.agentId);
}
