import type { ChatRequest } from './chatRequest.js';
import { parseScenarioMarkers } from './parseScenarioMarkers.js';
import type { Scenario } from './scenario.js';

/**
 * Picks the scenario of one chat request, in this order: the next enqueued scenario (taken off the
 * queue); for a request that ends with tool results, the follow-up text `Tool NAME returned: CONTENT`
 * (one line a result) at the prompt's pace; the markers of the newest user message; the default.
 *
 * The follow-up comes before the markers because the newest user message still carries the
 * `[[tool ...]]` marker that caused the call: reading it again would call the tool forever.
 *
 * @throws ScenarioError when the prompt's markers are malformed.
 */
export function chooseScenario(request: ChatRequest, queue: Scenario[], defaultScenario: Scenario): Scenario {
  const queued = queue.shift();
  if (queued) return queued;
  if (request.toolResults.length > 0) {
    const text = request.toolResults.map((r) => `Tool ${r.name} returned: ${r.content}`).join('\n');
    return { kind: 'text', text, ...paceOf(request.prompt) };
  }
  return parseScenarioMarkers(request.prompt) ?? defaultScenario;
}

/** The pace the prompt asked for, if any. */
function paceOf(prompt: string): { paceMs?: number } {
  let scenario: Scenario | undefined;
  try {
    scenario = parseScenarioMarkers(prompt);
  } catch {
    // Only an enqueued tool call gets here with bad markers (markers that call a tool parsed fine);
    // the follow-up then simply keeps no pace.
    return {};
  }
  return scenario && 'paceMs' in scenario && scenario.paceMs !== undefined ? { paceMs: scenario.paceMs } : {};
}
