import { asyncScheduler, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { type AgentSelector, selectAgents } from './agents.js';
import { type EventLike, isEvent } from './events.js';
import { createOperatorSubscriber, operate } from './internal/operate.js';

/** Where a timed or size-triggered release may cut a message's text. */
export type DeltaBoundary = 'none' | 'word' | 'line' | 'sentence';

export interface BufferDeltasConfig {
  /** Window length in ms: buffered text is released once per window, which opens at the first delta. Default `50`; `Infinity` disables windows. */
  readonly timeMs?: number;
  /** Release a message's text as soon as its buffer holds this many characters. Default `Infinity`. */
  readonly maxChars?: number;
  /**
   * Where timed and size-triggered releases cut: `'none'` (default) anywhere, `'word'` after the last
   * whitespace, `'line'` after the last newline, `'sentence'` after the last `.`, `!`, `?` or `…`
   * followed by whitespace, or a newline. Text after the cut waits for the next release.
   */
  readonly boundary?: DeltaBoundary;
  /** Whose deltas: `'main'` (default) ignores sub-agents, `'all'` keeps them (chunks carry `agentId`). */
  readonly agents?: AgentSelector;
  /** Schedules the windows. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** Consecutive text of one message, coalesced from one or more deltas. */
export interface DeltaChunk {
  readonly messageId: string;
  /** The sub-agent that produced the text; absent for the main agent. */
  readonly agentId?: string;
  readonly text: string;
}

/** The index just after the last boundary in `text`, or 0 when there is none. */
const cutters: Record<DeltaBoundary, (text: string) => number> = {
  none: (text) => text.length,
  word: (text) => {
    for (let i = text.length - 1; i >= 0; i--) if (/\s/.test(text.charAt(i))) return i + 1;
    return 0;
  },
  line: (text) => text.lastIndexOf('\n') + 1,
  sentence: (text) => {
    let end = 0;
    for (const match of text.matchAll(/[.!?…]+["'”’)\]]*\s+|\n+/g)) end = match.index + match[0].length;
    return end;
  },
};

/** Events after which no buffered text may wait: the turn's text is done or is about to be interrupted. */
const flushAllOn = new Set(['tool.execution_start', 'assistant.turn_end', 'assistant.idle', 'session.idle', 'session.error', 'abort']);

/**
 * Coalesces message deltas into larger chunks for renderers.
 *
 * Buffers `assistant.message_delta` text per `messageId` and releases it once per `timeMs` window
 * (or as soon as a buffer holds `maxChars`), cut at the chosen `boundary`; a message's end
 * (`assistant.message`), a tool start, a turn end, idle, `session.error`, `abort`, and the source's
 * completion or error release everything.
 *
 * ```
 * source:  -a-b-c--------d-m--|      a,b,c,d = deltas 'He','llo',' wo','rld'; m = message
 * bufferDeltas({ timeMs: 5 })
 *          -|----!       |----!      windows of 5 frames, each opened by a delta
 * result:  ------x---------y--|      x = { messageId, text: 'Hello wo' }, y = { messageId, text: 'rld' }
 * ```
 *
 * Emits `DeltaChunk`s `{ messageId, agentId?, text }`, never an empty one; the chunks of one message,
 * concatenated, are exactly its deltas concatenated (a property test checks it for any input and
 * timing). Other events are not passed on. On complete and on error the buffers are released
 * before the notification; on unsubscribe they are dropped and the window timer is cancelled.
 * A size release (`maxChars`) with no boundary in the buffer releases all of it, so a buffer never
 * grows past `maxChars` plus one delta. An `agents` predicate that throws errors the result (after
 * releasing the buffers).
 *
 * ## Example
 * ```ts
 * session.events$
 *   .pipe(bufferDeltas({ timeMs: 100, boundary: 'word' }))
 *   .subscribe(({ text }) => process.stdout.write(text));
 * ```
 *
 * @see accumulateText
 * @see smoothText
 * @see bufferTime
 * @param config Window, size cap, boundary, agents and scheduler; defaults: 50 ms windows, no cap,
 * no boundary, main agent, `asyncScheduler`.
 * @return A function that returns an Observable of text chunks.
 */
export function bufferDeltas(config: BufferDeltasConfig = {}): OperatorFunction<EventLike, DeltaChunk> {
  const { timeMs = 50, maxChars = Infinity, boundary = 'none', scheduler = asyncScheduler } = config;
  if (!(timeMs >= 0)) throw new RangeError(`bufferDeltas timeMs must be a non-negative number. Got ${timeMs}`);
  if (!(maxChars >= 1)) throw new RangeError(`bufferDeltas maxChars must be at least 1. Got ${maxChars}`);
  // hasOwn, not `in`: 'toString' is `in` every object literal.
  if (!Object.hasOwn(cutters, boundary)) throw new RangeError(`bufferDeltas boundary must be none, word, line or sentence. Got ${String(boundary)}`);
  const cut = cutters[boundary];
  const wantsAgent = selectAgents(config.agents ?? 'main');

  return operate<EventLike, DeltaChunk>((source, subscriber) => {
    // Insertion-ordered, so chunks of concurrent messages come out in the order the messages began.
    const buffers = new Map<string, { readonly agentId: string | undefined; text: string }>();
    let window: Subscription | undefined;

    // Releases text[0, end) of one buffer. Emitting may synchronously unsubscribe us: callers then
    // keep looping over the buffers, and the closed subscriber ignores the rest.
    const release = (messageId: string, end: number): void => {
      const buffer = buffers.get(messageId);
      if (buffer === undefined) return;
      const text = buffer.text.slice(0, end);
      buffer.text = buffer.text.slice(end);
      if (buffer.text === '') buffers.delete(messageId);
      if (text !== '') subscriber.next(buffer.agentId === undefined ? { messageId, text } : { messageId, agentId: buffer.agentId, text });
    };
    const releaseAll = (): void => {
      window?.unsubscribe();
      window = undefined;
      for (const [messageId, buffer] of buffers) release(messageId, buffer.text.length);
    };
    const closeWindow = (): void => {
      window = undefined;
      for (const [messageId, buffer] of buffers) release(messageId, cut(buffer.text));
    };

    const onEvent = (event: EventLike): void => {
      if (isEvent(event, 'assistant.message_delta')) {
        if (!wantsAgent(event)) return;
        const { messageId, deltaContent } = event.data;
        let buffer = buffers.get(messageId);
        if (buffer === undefined) buffers.set(messageId, (buffer = { agentId: event.agentId, text: '' }));
        buffer.text += deltaContent;
        if (buffer.text.length >= maxChars) release(messageId, cut(buffer.text) || buffer.text.length);
        if (window === undefined && buffers.size > 0 && timeMs !== Infinity) window = scheduler.schedule(closeWindow, timeMs);
      } else if (isEvent(event, 'assistant.message')) {
        release(event.data.messageId, Infinity);
      } else if (flushAllOn.has(event.type)) {
        releaseAll();
      }
    };

    source.subscribe(
      createOperatorSubscriber(subscriber, {
        next: (event) => {
          try {
            onEvent(event);
          } catch (err) {
            releaseAll();
            subscriber.error(err);
          }
        },
        error: (err) => {
          releaseAll();
          subscriber.error(err);
        },
        complete: () => {
          releaseAll();
          subscriber.complete();
        },
      }),
    );

    // Runs after the source is unsubscribed, so no event can refill the buffers.
    return () => {
      window?.unsubscribe();
      buffers.clear();
    };
  });
}
