import { filter, type OperatorFunction, scan } from 'rxjs';
import { type AgentSelector, selectAgents } from './agents.js';
import { type EventLike, isEvent, type UsageEvent } from './events.js';

export interface UsageTotalsConfig {
  /** Whose calls: `'all'` (default: a session's bill includes its sub-agents), `'main'`, or a predicate. */
  readonly agents?: AgentSelector;
}

/** Token and cost figures summed over model calls. */
export interface UsageFigures {
  /** Model calls reported (`assistant.usage` events). */
  readonly calls: number;
  /** Prompt tokens, cache reads and writes included: the CLI reports them inside `inputTokens`. */
  readonly inputTokens: number;
  /** `inputTokens` minus `cacheReadTokens`: prompt tokens the provider did not serve from its cache. */
  readonly uncachedInputTokens: number;
  readonly outputTokens: number;
  /** Part of `outputTokens`, not in addition to it. */
  readonly reasoningTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  /** `inputTokens + outputTokens`: each token once, cache reads included once. */
  readonly totalTokens: number;
  /** The calls' `cost` (the model's premium-request multiplier) summed. */
  readonly cost: number;
  /** The calls' `duration` summed, in ms. */
  readonly durationMs: number;
}

/** Session totals, and the same figures per model. */
export interface UsageTotals extends UsageFigures {
  readonly byModel: Readonly<Record<string, UsageFigures>>;
}

const zero: UsageFigures = {
  calls: 0,
  inputTokens: 0,
  uncachedInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  totalTokens: 0,
  cost: 0,
  durationMs: 0,
};

// A figure the CLI left out (every usage field but `model` is optional) counts as 0.
const num = (value: number | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

function add(sum: UsageFigures, { data }: UsageEvent): UsageFigures {
  const inputTokens = num(data.inputTokens);
  const outputTokens = num(data.outputTokens);
  const cacheReadTokens = num(data.cacheReadTokens);
  return {
    calls: sum.calls + 1,
    inputTokens: sum.inputTokens + inputTokens,
    uncachedInputTokens: sum.uncachedInputTokens + Math.max(0, inputTokens - cacheReadTokens),
    outputTokens: sum.outputTokens + outputTokens,
    reasoningTokens: sum.reasoningTokens + num(data.reasoningTokens),
    cacheReadTokens: sum.cacheReadTokens + cacheReadTokens,
    cacheWriteTokens: sum.cacheWriteTokens + num(data.cacheWriteTokens),
    totalTokens: sum.totalTokens + inputTokens + outputTokens,
    cost: sum.cost + num(data.cost),
    durationMs: sum.durationMs + num(data.duration),
  };
}

/**
 * Per-session totals of `assistant.usage` over every model call, cache-aware, with cost.
 *
 * Sums each call's tokens, cost and duration, overall and per model, and emits the new totals after
 * every `assistant.usage`; other events are not passed on.
 *
 * ```
 * source:  -a---x---b-|      a, b = usage { inputTokens: 100, cacheReadTokens: 80, outputTokens: 10 }
 * usageTotals()              x = any other event
 * result:  -s-------t-|      s = { calls: 1, inputTokens: 100, uncachedInputTokens: 20, totalTokens: 110, ... }
 *                            t = { calls: 2, inputTokens: 200, uncachedInputTokens: 40, totalTokens: 220, ... }
 * ```
 *
 * Cache reads are part of `inputTokens` on the wire, so they are counted once: `totalTokens` is
 * input plus output, and `uncachedInputTokens` says how much of the input was not a cache hit.
 * `assistant.usage` is ephemeral: it is not replayed after a resume, so totals start from the
 * subscription (the persisted `session.shutdown` carries the CLI's own final totals).
 *
 * Completes when the source completes and errors when it errors; unsubscribing drops the totals.
 * An `agents` predicate that throws errors the result.
 *
 * ## Example
 * ```ts
 * session.events$.pipe(usageTotals()).subscribe((t) =>
 *   console.log(`${t.totalTokens} tokens (${t.cacheReadTokens} cached), ${t.cost} premium requests`),
 * );
 * ```
 *
 * @see countTokens
 * @param config Whose calls; default: all agents.
 * @return A function that returns an Observable of running usage totals.
 */
export function usageTotals(config: UsageTotalsConfig = {}): OperatorFunction<EventLike, UsageTotals> {
  const wantsAgent = selectAgents(config.agents ?? 'all');
  return (source) =>
    source.pipe(
      filter((event): event is UsageEvent => isEvent(event, 'assistant.usage') && wantsAgent(event)),
      // scan's seed is per subscription, so one instance can serve many pipes.
      scan(
        (totals: UsageTotals, event): UsageTotals => {
          const model = typeof event.data.model === 'string' ? event.data.model : 'unknown';
          return { ...add(totals, event), byModel: { ...totals.byModel, [model]: add(totals.byModel[model] ?? zero, event) } };
        },
        { ...zero, byModel: {} },
      ),
    );
}
