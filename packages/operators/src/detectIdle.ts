import { asyncScheduler, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { IdleTimeoutError, type OpenTool, type PendingRequest, type SeenEvent } from './errors.js';
import { type EventLike, isEvent } from './events.js';
import { createOperatorSubscriber, operate } from './internal/operate.js';

export interface DetectIdleConfig {
  /** Error when no event arrives for this many ms while nothing is in flight. Required. */
  readonly timeoutMs: number;
  /**
   * Error also when the clock has been paused (a tool running, a request pending, compaction) with no
   * event for this many ms: a tool that hangs forever. Default `Infinity` (a pause never times out).
   */
  readonly maxPauseMs?: number;
  /** How many of the last events the error's snapshot keeps. Default `10`. */
  readonly keepLast?: number;
  /** Schedules the clock. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Requests the session waits on a person or the client to answer, keyed by `requestId`: opened by
 * these types, closed by the `*.completed` (or `*_completed`) type of the same family.
 */
const requestOpeners = new Set([
  'permission.requested',
  'user_input.requested',
  'elicitation.requested',
  'external_tool.requested',
  'exit_plan_mode.requested',
  'auto_mode_switch.requested',
  'session_limits_exhausted.requested',
  'sampling.requested',
  'mcp.oauth_required',
  'mcp.headers_refresh_required',
]);
const requestClosers = new Set([
  'permission.completed',
  'user_input.completed',
  'elicitation.completed',
  'external_tool.completed',
  'exit_plan_mode.completed',
  'auto_mode_switch.completed',
  'session_limits_exhausted.completed',
  'sampling.completed',
  'mcp.oauth_completed',
  'mcp.headers_refresh_completed',
]);
/** After `session.idle`, silence is expected until one of these says work starts again. */
const wakeUps = new Set(['pending_messages.modified', 'user.message', 'assistant.turn_start']);

const requestIdOf = (event: EventLike): string | undefined => {
  const data = event.data as { readonly requestId?: unknown } | null | undefined;
  return typeof data?.requestId === 'string' ? data.requestId : undefined;
};
const toolKey = (agentId: string | undefined, toolCallId: string): string => `${agentId ?? 'main'}\u0000${toolCallId}`;

/**
 * Errors with an `IdleTimeoutError` when a session stream goes silent for too long.
 *
 * Passes every event through and restarts its clock on each; the clock pauses while a tool runs, a
 * permission, user-input or other request is pending, or compaction is in progress, because those
 * legitimately take a person's or a tool's time without events.
 *
 * ```
 * source:  -a-s--------c---------    s = tool.execution_start, c = tool.execution_complete
 * detectIdle({ timeoutMs: 4 })
 *          -|-|        |---!         the clock: restarted by a, paused by s, restarted by c
 * result:  -a-s--------c---#         # = IdleTimeoutError { snapshot: { lastEvents, openTools, ... } }
 * ```
 *
 * The clock starts at subscription, like `timeout`. After `session.idle` (or `session.shutdown`) the
 * session has nothing in flight and silence is expected, so the clock stops until work starts again
 * (`pending_messages.modified`, `user.message` or `assistant.turn_start`). A tool is in flight from
 * `tool.execution_start` until its `tool.execution_complete`, or until its agent's `abort` or
 * `assistant.turn_end`, `session.idle` or `session.shutdown` (an aborted tool gets no completion:
 * protocol.md §7.5); tool calls are keyed by agent and `toolCallId`. A request is pending from its
 * `*.requested` event until the `*.completed` event with the same `requestId`, an `abort`,
 * `session.idle` or `session.shutdown`. Compaction runs from `session.compaction_start` to
 * `session.compaction_complete`. With `maxPauseMs`, a pause without any event times out too.
 *
 * The error's `snapshot` holds the last events (type, id, agent, time), the tools still running and
 * the requests still pending, so a log line says what the session was stuck on. On error the
 * source is unsubscribed. Completes when the source completes and errors when it errors; the clock
 * is cancelled on complete, error and unsubscribe.
 *
 * ## Example
 * ```ts
 * session.send({ prompt }).pipe(detectIdle({ timeoutMs: 60_000 })).subscribe({
 *   error: (err) => {
 *     if (err instanceof IdleTimeoutError) log.warn(err.message, err.snapshot);
 *   },
 * });
 * ```
 *
 * @see untilIdle
 * @see firstTokenTimeout
 * @see timeout
 * @param config The silence limit, the pause limit, the snapshot size and the scheduler; defaults:
 * pauses never time out, 10 events kept, `asyncScheduler`.
 * @return A function that returns an Observable of the same events that errors when they stall.
 */
export function detectIdle<E extends EventLike>(config: DetectIdleConfig): MonoTypeOperatorFunction<E> {
  const { timeoutMs, maxPauseMs = Infinity, keepLast = 10, scheduler = asyncScheduler } = config ?? ({} as Partial<DetectIdleConfig>);
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs === Infinity) {
    throw new RangeError(`detectIdle timeoutMs must be a positive, finite number of ms. Got ${String(timeoutMs)}`);
  }
  if (!(maxPauseMs > 0)) throw new RangeError(`detectIdle maxPauseMs must be a positive number of ms. Got ${maxPauseMs}`);
  if (!Number.isInteger(keepLast) || keepLast < 0) throw new RangeError(`detectIdle keepLast must be a non-negative integer. Got ${keepLast}`);

  return operate<E, E>((source, subscriber) => {
    const tools = new Map<string, OpenTool>();
    const requests = new Map<string, PendingRequest>();
    const lastEvents: SeenEvent[] = [];
    let compacting = false;
    let sessionIdle = false;
    let lastEventAt = scheduler.now();
    let timer: Subscription | undefined;
    let timerDue = Infinity;

    /** The silence allowed now; Infinity when none is enforced. */
    const limit = (): number => (sessionIdle ? Infinity : tools.size > 0 || requests.size > 0 || compacting ? maxPauseMs : timeoutMs);

    // One timer per limit, not one per event (thousands a second): an early timer re-arms itself for
    // the rest of the limit, and is only replaced when the limit moves earlier.
    const arm = (): void => {
      const due = lastEventAt + limit();
      if (due === Infinity || (timer !== undefined && timerDue <= due)) return;
      timer?.unsubscribe();
      timerDue = due;
      timer = scheduler.schedule(check, Math.max(0, due - scheduler.now()));
    };
    const check = (): void => {
      timer = undefined;
      timerDue = Infinity;
      const silentForMs = scheduler.now() - lastEventAt;
      const allowed = limit();
      if (silentForMs < allowed) return arm();
      subscriber.error(
        new IdleTimeoutError(allowed, {
          silentForMs,
          lastEvents: [...lastEvents],
          openTools: [...tools.values()],
          pendingRequests: [...requests.values()],
          compacting,
        }),
      );
    };

    const closeTools = (agentId: string | undefined | null): void => {
      for (const [key, tool] of tools) if (agentId === null || tool.agentId === agentId) tools.delete(key);
    };
    const track = (event: EventLike, now: number): void => {
      if (keepLast > 0) {
        if (lastEvents.length === keepLast) lastEvents.shift();
        lastEvents.push({ type: event.type, ...(event.id === undefined ? {} : { id: event.id }), ...(event.agentId === undefined ? {} : { agentId: event.agentId }), at: now });
      }
      if (wakeUps.has(event.type)) sessionIdle = false;
      if (isEvent(event, 'tool.execution_start')) {
        const { toolCallId, toolName } = event.data;
        tools.set(toolKey(event.agentId, toolCallId), { ...(event.agentId === undefined ? {} : { agentId: event.agentId }), toolCallId, toolName, since: now });
      } else if (isEvent(event, 'tool.execution_complete')) {
        tools.delete(toolKey(event.agentId, event.data.toolCallId));
      } else if (isEvent(event, 'assistant.turn_end')) {
        closeTools(event.agentId);
      } else if (isEvent(event, 'abort')) {
        // A sub-agent's abort ends its own tools; the main agent's ends everything in flight.
        closeTools(event.agentId ?? null);
        if (event.agentId === undefined) requests.clear();
      } else if (isEvent(event, 'session.idle') || isEvent(event, 'session.shutdown')) {
        closeTools(null);
        requests.clear();
        sessionIdle = true;
      } else if (isEvent(event, 'session.compaction_start')) {
        compacting = true;
      } else if (isEvent(event, 'session.compaction_complete')) {
        compacting = false;
      } else if (requestOpeners.has(event.type) || requestClosers.has(event.type)) {
        const requestId = requestIdOf(event);
        if (requestId === undefined) return;
        if (requestOpeners.has(event.type)) requests.set(requestId, { type: event.type, requestId, since: now });
        else requests.delete(requestId);
      }
    };

    arm();
    source.subscribe(
      createOperatorSubscriber(subscriber, {
        next: (event) => {
          lastEventAt = scheduler.now();
          // Throws on an event whose data lacks the fields of its type (plain objects are not
          // validated); the operator subscriber turns that into an error of the result.
          track(event, lastEventAt);
          // Armed before the emission: a consumer that leaves on this event runs the teardown, which
          // must find the timer to cancel it.
          arm();
          subscriber.next(event);
        },
      }),
    );

    return () => timer?.unsubscribe();
  });
}
