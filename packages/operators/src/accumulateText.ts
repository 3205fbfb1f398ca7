import { defer, filter, map, type Observable, type OperatorFunction } from 'rxjs';
import { type AgentSelector, selectAgents } from './agents.js';
import { type EventLike, isEvent } from './events.js';

export interface AccumulateTextConfig {
  /**
   * Which text to accumulate: `'message'` (default) reads `assistant.message_delta` up to
   * `assistant.message`, keyed by `messageId`; `'reasoning'` reads `assistant.reasoning_delta` up to
   * `assistant.reasoning`, keyed by `reasoningId`.
   */
  readonly channel?: 'message' | 'reasoning';
  /** Whose text: `'main'` (default) ignores sub-agents, `'all'` keeps them (snapshots carry `agentId`). */
  readonly agents?: AgentSelector;
}

/** The fields every snapshot has, whatever its channel. */
export interface SnapshotFields {
  /** The sub-agent that produced the text; absent for the main agent. */
  readonly agentId?: string;
  /** What this snapshot appended to the previous snapshot's `text` ('' when a drifted text was replaced). */
  readonly delta: string;
  /** The whole text so far; on the final snapshot, the authoritative content. */
  readonly text: string;
  /** True on the snapshot emitted for `assistant.message` / `assistant.reasoning`. */
  readonly final: boolean;
  /**
   * Only on a final snapshot: true when the deltas did not add up to the authoritative content
   * (lost, repeated or reordered deltas). Re-render from `text` then. False when no delta was seen.
   */
  readonly drift?: boolean;
}

/** A snapshot of one message's text (channel `'message'`). */
export type TextSnapshot = SnapshotFields & { readonly messageId: string };
/** A snapshot of one reasoning block (channel `'reasoning'`). */
export type ReasoningSnapshot = SnapshotFields & { readonly reasoningId: string };

/** One delta or end of a text stream, read from an event of the chosen channel. */
type TextPart =
  | { readonly id: string; readonly delta: string; readonly content?: undefined }
  | { readonly id: string; readonly content: string; readonly delta?: undefined };

interface Channel<S> {
  read(event: EventLike): TextPart | undefined;
  snapshot(id: string, fields: SnapshotFields): S;
}

const messageChannel: Channel<TextSnapshot> = {
  read: (event) =>
    isEvent(event, 'assistant.message_delta')
      ? { id: event.data.messageId, delta: event.data.deltaContent }
      : isEvent(event, 'assistant.message')
        ? { id: event.data.messageId, content: event.data.content }
        : undefined,
  snapshot: (messageId, fields) => ({ messageId, ...fields }),
};

const reasoningChannel: Channel<ReasoningSnapshot> = {
  read: (event) =>
    isEvent(event, 'assistant.reasoning_delta')
      ? { id: event.data.reasoningId, delta: event.data.deltaContent }
      : isEvent(event, 'assistant.reasoning')
        ? { id: event.data.reasoningId, content: event.data.content }
        : undefined,
  snapshot: (reasoningId, fields) => ({ reasoningId, ...fields }),
};

/**
 * Accumulates streamed deltas into a text snapshot per message.
 *
 * Each delta emits the message's whole text so far; the message's end (`assistant.message`, or
 * `assistant.reasoning` on the reasoning channel) emits a final snapshot with the authoritative
 * content, flagged `drift: true` when the deltas did not add up to it.
 *
 * ```
 * source:  --s--a---b--------m--|      s = message_start, a = delta 'He', b = delta 'llo', m = message 'Hello'
 * accumulateText()
 * result:  -----x---y--------z--|      x = { delta 'He', text 'He' }
 *                                      y = { delta 'llo', text 'Hello' }
 *                                      z = { delta '', text 'Hello', final: true, drift: false }
 * ```
 *
 * Each `messageId` has its own snapshot: the CLI re-streams a retried call from scratch under a new
 * `messageId` (real-cli.md §5.4), so a retry starts again from an empty text. Under a flood the CLI
 * may deliver deltas out of order (real-cli.md §5.1): the final snapshot then has `drift: true` and
 * `text` is the authoritative content, which renderers should show in place of what they appended.
 * Deltas are expected to be de-duplicated already (core does it; see also `dedupeEvents`).
 *
 * Completes when the source completes and errors when it errors; a message still open then (a
 * retried or aborted call never gets its `assistant.message`) has had all its text emitted already,
 * only its final snapshot is missing. Open messages are forgotten at `session.idle`. Unsubscribing
 * unsubscribes from the source. An `agents` predicate that throws errors the result.
 *
 * ## Example
 * ```ts
 * session.events$.pipe(accumulateText()).subscribe((s) => {
 *   if (s.drift) render(s.messageId, s.text); // replace
 *   else append(s.messageId, s.delta);
 * });
 * ```
 *
 * @see bufferDeltas
 * @see scan
 * @param config Which channel and which agents; defaults: the message channel of the main agent.
 * @return A function that returns an Observable of text snapshots.
 */
export function accumulateText(config?: AccumulateTextConfig & { readonly channel?: 'message' }): OperatorFunction<EventLike, TextSnapshot>;
export function accumulateText(config: AccumulateTextConfig & { readonly channel: 'reasoning' }): OperatorFunction<EventLike, ReasoningSnapshot>;
export function accumulateText(config: AccumulateTextConfig = {}): OperatorFunction<EventLike, TextSnapshot | ReasoningSnapshot> {
  const channel: Channel<TextSnapshot | ReasoningSnapshot> = config.channel === 'reasoning' ? reasoningChannel : messageChannel;
  const wantsAgent = selectAgents(config.agents ?? 'main');

  return (source: Observable<EventLike>) =>
    defer(() => {
      // Per subscription, so one operator instance can serve many pipes.
      const open = new Map<string, { text: string }>();

      const step = (event: EventLike): TextSnapshot | ReasoningSnapshot | undefined => {
        if (isEvent(event, 'session.idle')) {
          open.clear();
          return undefined;
        }
        const part = channel.read(event);
        if (part === undefined || !wantsAgent(event)) return undefined;
        const agent = event.agentId === undefined ? {} : { agentId: event.agentId };
        if (part.delta !== undefined) {
          let entry = open.get(part.id);
          if (entry === undefined) open.set(part.id, (entry = { text: '' }));
          entry.text += part.delta;
          return channel.snapshot(part.id, { ...agent, delta: part.delta, text: entry.text, final: false });
        }
        const entry = open.get(part.id);
        open.delete(part.id);
        const streamed = entry?.text ?? '';
        const content = part.content;
        return channel.snapshot(part.id, {
          ...agent,
          delta: content.startsWith(streamed) ? content.slice(streamed.length) : '',
          text: content,
          final: true,
          drift: entry !== undefined && streamed !== content,
        });
      };

      return source.pipe(
        map(step),
        filter((snapshot): snapshot is TextSnapshot | ReasoningSnapshot => snapshot !== undefined),
      );
    });
}
