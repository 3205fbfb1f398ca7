import { asyncScheduler, defer, filter, identity, map, type Observable, type OperatorFunction, type SchedulerLike, throttleTime } from 'rxjs';
import { type AgentSelector, selectAgents } from './agents.js';
import { type EventLike, isEvent } from './events.js';
import { loadTokenizer, TOKEN_ENCODINGS, type TokenEncoding, TokenTally } from './tokenTally.js';

export interface CountTokensConfig {
  /**
   * The tokenizer: `'o200k_base'` (default; GPT-4o, GPT-4.1, GPT-5, o-series) or `'cl100k_base'`
   * (GPT-4, GPT-3.5). Other model families (Claude, Gemini) use their own tokenizers, so for them
   * the estimate is an approximation until the exact figures arrive.
   */
  readonly encoding?: TokenEncoding;
  /** Whose output: `'main'` (default) ignores sub-agents, `'all'` counts them too. */
  readonly agents?: AgentSelector;
  /** Emit at most once per this many ms (the first and the last value of each window). Default `0`: every change. */
  readonly throttleMs?: number;
  /** Schedules the throttling. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** The exact figures of `assistant.usage`, summed over every call reported so far. */
export interface ExactTokens {
  /** Prompt tokens, cache reads included. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  /** The model multiplier of each call, summed (experimental on the wire). */
  readonly cost: number;
}

export interface TokenCount {
  /**
   * Output tokens so far: the exact `outputTokens` of every call whose `assistant.usage` has arrived,
   * plus the tokenizer's count of the text streamed since (the call in flight).
   */
  readonly estimatedOutputTokens: number;
  /** Present once the first `assistant.usage` has arrived. */
  readonly exact?: ExactTokens;
}

const num = (value: number | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * A running count of output tokens, estimated from the streamed deltas with a real tokenizer and
 * reconciled with the exact figures of `assistant.usage`.
 *
 * Tokenizes message, reasoning and tool-argument deltas as they arrive; when a call's
 * `assistant.usage` arrives, that call's estimate is replaced by its exact `outputTokens`.
 *
 * ```
 * source:  -a---b---u---c-|      a, b = deltas of 2 and 3 tokens, u = usage { outputTokens: 6 }, c = 1 token
 * countTokens()
 * result:  -w---x---y---z-|      w = { estimatedOutputTokens: 2 }, x = { estimatedOutputTokens: 5 }
 *                                y = { estimatedOutputTokens: 6, exact: { outputTokens: 6, ... } }
 *                                z = { estimatedOutputTokens: 7, exact: { outputTokens: 6, ... } }
 * ```
 *
 * The count is incremental: the text is split with the encoding's own pre-tokenizer, pieces that
 * can no longer change are counted once, and only the last two pieces (a token may span a delta
 * boundary: `don` + `'t`) are counted again on the next delta, so a 5,000-delta answer is never
 * re-tokenized as a whole, yet the count equals tokenizing the whole text at once (within 1 % for a
 * single piece over 256 characters, such as a long run of symbols). For the encoding's own models
 * that is the exact count of the text; other families (Claude, Gemini) tokenize differently, and the
 * exact figures also count tokens that never appear as text (tool-call framing, hidden reasoning).
 * Text streamed by a call that reports no usage stays in the estimate: a failed attempt
 * (`model.call_failure`, retried under a new messageId) or an aborted call (`assistant.turn_end`).
 * Emits only when the value changes. `reasoningTokens` are part of `outputTokens`.
 *
 * Completes when the source completes (after the last throttled value) and errors when it errors;
 * unsubscribing drops the counts. The encoding is loaded on first subscription (o200k: about 0.3 s,
 * once per process). An `agents` predicate that throws errors the result.
 *
 * ## Example
 * ```ts
 * session.events$.pipe(countTokens({ throttleMs: 250 })).subscribe(({ estimatedOutputTokens, exact }) =>
 *   status.set(exact ? `${estimatedOutputTokens} tokens` : `~${estimatedOutputTokens} tokens`),
 * );
 * ```
 *
 * @see usageTotals
 * @see https://github.com/niieani/gpt-tokenizer
 * @param config Encoding, agents, throttling and scheduler; defaults: o200k_base, main agent, every change.
 * @return A function that returns an Observable of token counts.
 */
export function countTokens(config: CountTokensConfig = {}): OperatorFunction<EventLike, TokenCount> {
  const { encoding = 'o200k_base', throttleMs = 0, scheduler = asyncScheduler } = config;
  if (!TOKEN_ENCODINGS.includes(encoding)) throw new RangeError(`countTokens encoding must be ${TOKEN_ENCODINGS.join(' or ')}. Got ${String(encoding)}`);
  if (!(throttleMs >= 0)) throw new RangeError(`countTokens throttleMs must be a non-negative number. Got ${throttleMs}`);
  const wantsAgent = selectAgents(config.agents ?? 'main');
  const throttle: OperatorFunction<TokenCount, TokenCount> =
    throttleMs > 0 ? throttleTime(throttleMs, scheduler, { leading: true, trailing: true }) : identity;

  return (source: Observable<EventLike>) =>
    defer(() => {
      const tokenizer = loadTokenizer(encoding);
      // Per subscription. Tallies of the call in flight, per agent ('' is the main agent) and per
      // stream ('m' + messageId, 'r' + reasoningId, 't' + toolCallId): streams interleave.
      const inFlight = new Map<string, Map<string, TokenTally>>();
      let settled = 0;
      let exact: ExactTokens | undefined;
      let last: TokenCount | undefined;

      const tally = (agent: string, stream: string): TokenTally => {
        let tallies = inFlight.get(agent);
        if (tallies === undefined) inFlight.set(agent, (tallies = new Map()));
        let entry = tallies.get(stream);
        if (entry === undefined) tallies.set(stream, (entry = new TokenTally(tokenizer)));
        return entry;
      };
      const estimateOf = (agent: string): number => {
        let sum = 0;
        for (const entry of inFlight.get(agent)?.values() ?? []) sum += entry.count;
        return sum;
      };
      /** Moves an agent's in-flight estimate into the settled count, or replaces it with an exact figure. */
      const settle = (agent: string, outputTokens?: number): void => {
        settled += outputTokens ?? estimateOf(agent);
        inFlight.delete(agent);
      };
      const current = (): TokenCount | undefined => {
        let estimatedOutputTokens = settled;
        for (const agent of inFlight.keys()) estimatedOutputTokens += estimateOf(agent);
        if (last !== undefined && last.estimatedOutputTokens === estimatedOutputTokens && last.exact === exact) return undefined;
        return (last = exact === undefined ? { estimatedOutputTokens } : { estimatedOutputTokens, exact });
      };

      const step = (event: EventLike): TokenCount | undefined => {
        if (isEvent(event, 'session.idle')) {
          for (const agent of [...inFlight.keys()]) settle(agent);
          return undefined;
        }
        const isDelta =
          isEvent(event, 'assistant.message_delta') || isEvent(event, 'assistant.reasoning_delta') || isEvent(event, 'assistant.tool_call_delta');
        // A call ends with its usage, or without one when it fails (model.call_failure, then a retry
        // under a new messageId) or is aborted (assistant.turn_end).
        const ends = isEvent(event, 'assistant.usage') || event.type === 'model.call_failure' || isEvent(event, 'assistant.turn_end');
        if ((!isDelta && !ends) || !wantsAgent(event)) return undefined;
        const agent = event.agentId ?? '';

        if (isEvent(event, 'assistant.message_delta')) tally(agent, 'm' + event.data.messageId).append(event.data.deltaContent);
        else if (isEvent(event, 'assistant.reasoning_delta')) tally(agent, 'r' + event.data.reasoningId).append(event.data.deltaContent);
        else if (isEvent(event, 'assistant.tool_call_delta')) tally(agent, 't' + event.data.toolCallId).append(event.data.inputDelta);
        else if (!isEvent(event, 'assistant.usage')) settle(agent);
        else {
          const usage = event.data;
          // A usage without outputTokens keeps the call's estimate; a reported 0 is taken as exact.
          settle(agent, typeof usage.outputTokens === 'number' ? usage.outputTokens : undefined);
          exact = {
            inputTokens: num(exact?.inputTokens) + num(usage.inputTokens),
            outputTokens: num(exact?.outputTokens) + num(usage.outputTokens),
            cacheReadTokens: num(exact?.cacheReadTokens) + num(usage.cacheReadTokens),
            cacheWriteTokens: num(exact?.cacheWriteTokens) + num(usage.cacheWriteTokens),
            cost: num(exact?.cost) + num(usage.cost),
          };
        }
        return current();
      };

      return source.pipe(
        map(step),
        filter((count): count is TokenCount => count !== undefined),
        throttle,
      );
    });
}
