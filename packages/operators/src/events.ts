/**
 * The structural shapes of the session events the operators read. They are the subset of
 * `@copilot-rx/core`'s decoded events that each operator needs, so the operators work on core's
 * `SessionEvent` stream and equally on any stream of plain objects with the same shape (test
 * builders, replayed transcripts). Core has already validated the data of every known event type,
 * so narrowing by `type` here is sound.
 */

/** Any session event: the envelope fields the operators may look at. */
export interface EventLike {
  readonly type: string;
  readonly id?: string;
  readonly timestamp?: string;
  readonly parentId?: string | null;
  readonly ephemeral?: boolean;
  readonly agentId?: string;
  readonly data?: unknown;
}

interface Ev<T extends string, D> extends EventLike {
  readonly type: T;
  readonly data: D;
}

export type MessageStartEvent = Ev<'assistant.message_start', { readonly messageId: string }>;
export type MessageDeltaEvent = Ev<'assistant.message_delta', { readonly messageId: string; readonly deltaContent: string }>;
export type MessageEvent = Ev<
  'assistant.message',
  { readonly messageId: string; readonly content: string; readonly outputTokens?: number; readonly toolRequests?: readonly unknown[] }
>;
export type ToolCallDeltaEvent = Ev<
  'assistant.tool_call_delta',
  { readonly toolCallId: string; readonly inputDelta: string; readonly toolName?: string }
>;
export type ReasoningDeltaEvent = Ev<'assistant.reasoning_delta', { readonly reasoningId: string; readonly deltaContent: string }>;
export type ReasoningEvent = Ev<'assistant.reasoning', { readonly reasoningId: string; readonly content: string }>;
export type TurnStartEvent = Ev<'assistant.turn_start', { readonly turnId: string; readonly interactionId?: string }>;
export type TurnEndEvent = Ev<'assistant.turn_end', { readonly turnId: string }>;
export type AssistantIdleEvent = Ev<'assistant.idle', { readonly aborted?: boolean }>;
export type UsageEvent = Ev<
  'assistant.usage',
  {
    readonly model: string;
    readonly inputTokens?: number;
    readonly outputTokens?: number;
    readonly reasoningTokens?: number;
    readonly cacheReadTokens?: number;
    readonly cacheWriteTokens?: number;
    readonly cost?: number;
    readonly duration?: number;
    readonly timeToFirstTokenMs?: number;
  }
>;
export type SessionShutdownEvent = Ev<'session.shutdown', { readonly shutdownType?: string }>;
export type UserMessageEvent = Ev<'user.message', { readonly content: string; readonly interactionId?: string }>;
export type SessionIdleEvent = Ev<'session.idle', { readonly aborted?: boolean }>;
export type SessionErrorEvent = Ev<
  'session.error',
  { readonly errorType: string; readonly message: string; readonly statusCode?: number }
>;
export type AbortEvent = Ev<'abort', { readonly reason: string }>;
export type ToolStartEvent = Ev<
  'tool.execution_start',
  { readonly toolCallId: string; readonly toolName: string; readonly arguments?: unknown; readonly turnId?: string }
>;
export type ToolPartialResultEvent = Ev<'tool.execution_partial_result', { readonly toolCallId: string; readonly partialOutput: string }>;
export type ToolProgressEvent = Ev<'tool.execution_progress', { readonly toolCallId: string; readonly progressMessage: string }>;
export type ToolCompleteEvent = Ev<
  'tool.execution_complete',
  {
    readonly toolCallId: string;
    readonly success: boolean;
    readonly result?: { readonly content?: string; readonly detailedContent?: string };
    readonly error?: { readonly message: string; readonly code?: string };
  }
>;
export type PermissionRequestedEvent = Ev<'permission.requested', { readonly requestId: string }>;
export type PermissionCompletedEvent = Ev<'permission.completed', { readonly requestId: string }>;
export type UserInputRequestedEvent = Ev<'user_input.requested', { readonly requestId: string }>;
export type UserInputCompletedEvent = Ev<'user_input.completed', { readonly requestId: string }>;
export type ExternalToolRequestedEvent = Ev<'external_tool.requested', { readonly requestId: string; readonly toolCallId: string }>;
export type ExternalToolCompletedEvent = Ev<'external_tool.completed', { readonly requestId: string }>;
export type CompactionStartEvent = Ev<'session.compaction_start', { readonly trigger?: string; readonly currentTokens?: number; readonly tokenLimit?: number }>;
export type CompactionCompleteEvent = Ev<
  'session.compaction_complete',
  { readonly success: boolean; readonly error?: unknown; readonly preCompactionTokens?: number; readonly postCompactionTokens?: number }
>;

/** Every shape above, keyed by its `type`. */
export type KnownEventShape =
  | MessageStartEvent
  | MessageDeltaEvent
  | MessageEvent
  | ToolCallDeltaEvent
  | ReasoningDeltaEvent
  | ReasoningEvent
  | TurnStartEvent
  | TurnEndEvent
  | AssistantIdleEvent
  | UsageEvent
  | UserMessageEvent
  | SessionIdleEvent
  | SessionErrorEvent
  | SessionShutdownEvent
  | AbortEvent
  | ToolStartEvent
  | ToolPartialResultEvent
  | ToolProgressEvent
  | ToolCompleteEvent
  | PermissionRequestedEvent
  | PermissionCompletedEvent
  | UserInputRequestedEvent
  | UserInputCompletedEvent
  | ExternalToolRequestedEvent
  | ExternalToolCompletedEvent
  | CompactionStartEvent
  | CompactionCompleteEvent;

export type KnownEventType = KnownEventShape['type'];
export type EventShape<K extends KnownEventType> = Extract<KnownEventShape, { readonly type: K }>;

/** Narrows an event to the shape of its type. */
export function isEvent<K extends KnownEventType>(event: EventLike, type: K): event is EventShape<K> {
  return event.type === type;
}
