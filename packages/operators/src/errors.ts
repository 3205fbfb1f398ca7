/** An event `detectIdle` saw, as kept for its diagnostic snapshot (events can be 25 KB; this is not). */
export interface SeenEvent {
  readonly type: string;
  readonly id?: string;
  readonly agentId?: string;
  /** `scheduler.now()` when it arrived. */
  readonly at: number;
}

/** A tool call that had started and not yet completed. */
export interface OpenTool {
  readonly agentId?: string;
  readonly toolCallId: string;
  readonly toolName: string;
  readonly since: number;
}

/** A request the session was waiting on someone to answer (`permission.requested`, `user_input.requested`, ...). */
export interface PendingRequest {
  /** The event type that opened it. */
  readonly type: string;
  readonly requestId: string;
  readonly since: number;
}

/** What `detectIdle` knew when it gave up. */
export interface IdleSnapshot {
  /** How long no event had arrived, in ms. */
  readonly silentForMs: number;
  /** The last events, oldest first. */
  readonly lastEvents: readonly SeenEvent[];
  readonly openTools: readonly OpenTool[];
  readonly pendingRequests: readonly PendingRequest[];
  readonly compacting: boolean;
}

function describeSnapshot({ lastEvents, openTools, pendingRequests, compacting }: IdleSnapshot): string {
  const last = lastEvents.at(-1);
  const parts = [last === undefined ? 'no event since subscribing' : `last event: ${last.type}${last.agentId === undefined ? '' : ` (agent ${last.agentId})`}`];
  if (openTools.length > 0) parts.push(`running tools: ${openTools.map((tool) => `${tool.toolName} (${tool.toolCallId})`).join(', ')}`);
  if (pendingRequests.length > 0) parts.push(`pending requests: ${pendingRequests.map((request) => `${request.type} (${request.requestId})`).join(', ')}`);
  if (compacting) parts.push('compaction in progress');
  return parts.join('; ');
}

/**
 * Raised by `detectIdle` when a session stream went silent for too long: the CLI or the model is
 * stuck, or the connection stalled without closing. `snapshot` says what was in flight.
 */
export class IdleTimeoutError extends Error {
  /** Stable across versions; match on it rather than on the message. */
  readonly code = 'IDLE_TIMEOUT' as const;
  override readonly name = 'IdleTimeoutError';

  constructor(
    /** The limit that was exceeded: `timeoutMs`, or `maxPauseMs` while the clock was paused. */
    readonly timeoutMs: number,
    readonly snapshot: IdleSnapshot,
  ) {
    super(`No session event for ${snapshot.silentForMs} ms (limit ${timeoutMs} ms); ${describeSnapshot(snapshot)}`);
  }
}

/**
 * Raised by `firstTokenTimeout` when a turn started (`assistant.turn_start`) and no output (a message,
 * reasoning or tool-argument delta, or a whole message) followed in time.
 */
export class FirstTokenTimeoutError extends Error {
  /** Stable across versions; match on it rather than on the message. */
  readonly code = 'FIRST_TOKEN_TIMEOUT' as const;
  override readonly name = 'FirstTokenTimeoutError';

  constructor(
    readonly timeoutMs: number,
    /** The `turnId` of the `assistant.turn_start` that got no answer. */
    readonly turnId: string | undefined,
  ) {
    super(`No output from the model within ${timeoutMs} ms of the start of turn ${turnId ?? '(no turnId)'}`);
  }
}
