import { asyncScheduler, defer, filter, map, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { type EventLike, isEvent } from './events.js';
import { loadTokenizer, TOKEN_ENCODINGS, type TokenEncoding, TokenTally } from './tokenTally.js';

export interface StreamMetricsConfig {
  /** The sliding window of `tokensPerSecond`, in ms. Default `1000`. */
  readonly windowMs?: number;
  /** The tokenizer that counts the deltas' tokens (see `countTokens`). Default `'o200k_base'`. */
  readonly encoding?: TokenEncoding;
  /** Reads the clock. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** Streaming figures of the current model call (from its `assistant.turn_start`), measured at the client. */
export interface StreamMetrics {
  /** The `turnId` of the call's `assistant.turn_start`, when one was seen. */
  readonly turnId?: string;
  /** ms from `assistant.turn_start` to the first delta, at the client (network and CLI included). */
  readonly timeToFirstTokenMs?: number;
  /** The server's own `timeToFirstTokenMs`, from the call's `assistant.usage` (it arrives after the deltas). */
  readonly serverTimeToFirstTokenMs?: number;
  /** Output tokens per second over the last `windowMs` (or since the first delta, if that is more recent). */
  readonly tokensPerSecond?: number;
  /** Deltas received (message, reasoning and tool-argument deltas). */
  readonly deltas: number;
  /** Output tokens of those deltas, by the tokenizer. */
  readonly outputTokens: number;
  /** ms between the last two deltas. */
  readonly lastGapMs?: number;
  /** The longest gap between two deltas of the call so far. */
  readonly maxGapMs?: number;
}

const deltaTypes = new Set(['assistant.message_delta', 'assistant.reasoning_delta', 'assistant.tool_call_delta']);

/** The stream a delta belongs to, and its text: deltas of different streams interleave. */
function readDelta(event: EventLike): [stream: string, text: string] | undefined {
  if (isEvent(event, 'assistant.message_delta')) return ['m' + event.data.messageId, event.data.deltaContent];
  if (isEvent(event, 'assistant.reasoning_delta')) return ['r' + event.data.reasoningId, event.data.deltaContent];
  if (isEvent(event, 'assistant.tool_call_delta')) return ['t' + event.data.toolCallId, event.data.inputDelta];
  return undefined;
}

/**
 * Streaming metrics of each model call: time to first token measured at the client, tokens per
 * second over a sliding window, and the gaps between deltas, next to the server's own
 * `timeToFirstTokenMs` from `assistant.usage`.
 *
 * Emits a fresh `StreamMetrics` at each main-agent `assistant.turn_start` (all figures reset), at
 * each delta, and at the call's `assistant.usage`.
 *
 * ```
 * source:  -t---a-b-----c---u-|      t = turn_start, a, b, c = deltas of 1 token, u = usage { timeToFirstTokenMs: 3 }
 * streamMetrics()
 * result:  -w---x-y-----z---v-|      x = { timeToFirstTokenMs: 4, deltas: 1 }
 *                                    y = { lastGapMs: 2, tokensPerSecond: 500 }
 *                                    z = { lastGapMs: 6, maxGapMs: 6, tokensPerSecond: 250 }
 *                                    v = z and { serverTimeToFirstTokenMs: 3 }
 * ```
 *
 * The client-side time to first token includes the CLI's own work and the transport, so it is
 * larger than the server's; a wide difference points at the client side. `tokensPerSecond` counts
 * the tokens that arrived within the last `windowMs`; in the call's first window it is measured from
 * the first delta instead (whose own tokens only mark the start), and it is undefined at the first
 * delta. It is computed when a delta arrives: during a stall no value is emitted, so a display should
 * also show `lastGapMs` or time since the last emission. Sub-agents' events are ignored: their calls
 * run concurrently with the main agent's.
 *
 * Completes when the source completes and errors when it errors; unsubscribing drops the state.
 *
 * ## Example
 * ```ts
 * session.events$
 *   .pipe(streamMetrics({ windowMs: 2000 }), sampleTime(250))
 *   .subscribe((m) => statusBar.set(`TTFT ${m.timeToFirstTokenMs} ms, ${m.tokensPerSecond?.toFixed(0)} tok/s`));
 * ```
 *
 * @see countTokens
 * @see firstTokenTimeout
 * @param config Window, tokenizer and scheduler; defaults: 1000 ms, o200k_base, `asyncScheduler`.
 * @return A function that returns an Observable of the current call's metrics.
 */
export function streamMetrics(config: StreamMetricsConfig = {}): OperatorFunction<EventLike, StreamMetrics> {
  const { windowMs = 1000, encoding = 'o200k_base', scheduler = asyncScheduler } = config;
  if (!(windowMs > 0) || windowMs === Infinity) throw new RangeError(`streamMetrics windowMs must be a positive, finite number of ms. Got ${windowMs}`);
  if (!TOKEN_ENCODINGS.includes(encoding)) throw new RangeError(`streamMetrics encoding must be ${TOKEN_ENCODINGS.join(' or ')}. Got ${String(encoding)}`);

  return (source: Observable<EventLike>) =>
    defer(() => {
      const tokenizer = loadTokenizer(encoding);
      // Per subscription, reset at each model call.
      let tallies = new Map<string, TokenTally>();
      let metrics: StreamMetrics = { deltas: 0, outputTokens: 0 };
      let turnStartedAt: number | undefined;
      let firstDelta: { readonly at: number; readonly tokens: number } | undefined;
      let lastDeltaAt: number | undefined;
      /** Deltas of the sliding window, oldest first, from index `head`. */
      let recent: { readonly at: number; readonly tokens: number }[] = [];
      let head = 0;

      const rate = (now: number): number | undefined => {
        while (head < recent.length && recent[head]!.at <= now - windowMs) head++;
        if (head > 1024) {
          // Drop the expired prefix now and then, not at every delta (shift() is O(n)).
          recent = recent.slice(head);
          head = 0;
        }
        let tokens = 0;
        for (let i = head; i < recent.length; i++) tokens += recent[i]!.tokens;
        if (firstDelta === undefined || now - firstDelta.at >= windowMs) return (tokens / windowMs) * 1000;
        const span = now - firstDelta.at;
        return span === 0 ? undefined : ((tokens - firstDelta.tokens) / span) * 1000;
      };

      const step = (event: EventLike): StreamMetrics | undefined => {
        if (event.agentId !== undefined) return undefined;
        const now = scheduler.now();
        if (isEvent(event, 'assistant.turn_start')) {
          tallies = new Map();
          turnStartedAt = now;
          firstDelta = lastDeltaAt = undefined;
          recent = [];
          head = 0;
          const turnId = (event.data as { readonly turnId?: unknown } | undefined)?.turnId;
          return (metrics = { ...(typeof turnId === 'string' ? { turnId } : {}), deltas: 0, outputTokens: 0 });
        }
        if (isEvent(event, 'assistant.usage')) {
          const server = event.data.timeToFirstTokenMs;
          return typeof server === 'number' ? (metrics = { ...metrics, serverTimeToFirstTokenMs: server }) : undefined;
        }
        if (!deltaTypes.has(event.type)) return undefined;
        const [stream, text] = readDelta(event)!;
        let tally = tallies.get(stream);
        if (tally === undefined) tallies.set(stream, (tally = new TokenTally(tokenizer)));
        const before = tally.count;
        tally.append(text);
        const tokens = tally.count - before;

        const gap = lastDeltaAt === undefined ? undefined : now - lastDeltaAt;
        lastDeltaAt = now;
        firstDelta ??= { at: now, tokens };
        recent.push({ at: now, tokens });
        const ttft = metrics.timeToFirstTokenMs ?? (turnStartedAt === undefined ? undefined : now - turnStartedAt);
        return (metrics = {
          ...metrics,
          ...(ttft === undefined ? {} : { timeToFirstTokenMs: ttft }),
          deltas: metrics.deltas + 1,
          outputTokens: metrics.outputTokens + tokens,
          tokensPerSecond: rate(now),
          ...(gap === undefined ? {} : { lastGapMs: gap, maxGapMs: Math.max(gap, metrics.maxGapMs ?? 0) }),
        });
      };

      return source.pipe(
        map(step),
        filter((value): value is StreamMetrics => value !== undefined),
      );
    });
}
