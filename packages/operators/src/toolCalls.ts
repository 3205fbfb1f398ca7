import { asyncScheduler, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { type AgentSelector, selectAgents } from './agents.js';
import { type EventLike, isEvent, type ToolCompleteEvent } from './events.js';
import { createOperatorSubscriber, operate } from './internal/operate.js';

export interface ToolCallsConfig {
  /** Whose tool calls: `'all'` (default; states carry `agentId`), `'main'`, or a predicate. */
  readonly agents?: AgentSelector;
  /** Reads the clock for `startedAt` and `durationMs`. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** `running` until the end; then `succeeded`, `failed`, or `interrupted` (no completion ever came: abort). */
export type ToolCallStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

/** The state of one tool call, emitted whenever it changes. */
export interface ToolCallState {
  /** The sub-agent that called the tool; absent for the main agent. */
  readonly agentId?: string;
  readonly toolCallId: string;
  readonly toolName: string;
  /** As given in `tool.execution_start`. */
  readonly arguments?: unknown;
  readonly status: ToolCallStatus;
  /** The streamed partial output so far (`tool.execution_partial_result`, concatenated). */
  readonly output: string;
  /** The last `tool.execution_progress` message. */
  readonly progress?: string;
  /** The tool's result, once it `succeeded` (or failed with one). */
  readonly result?: ToolCompleteEvent['data']['result'];
  /** Why it `failed`; for `interrupted`, `{ code: 'interrupted' }` and the event that closed it. */
  readonly error?: { readonly message: string; readonly code?: string };
  /** `scheduler.now()` at `tool.execution_start`. */
  readonly startedAt: number;
  /** Once it has ended: ms from start to end, measured at the client. */
  readonly durationMs?: number;
}

type Running = ToolCallState & { readonly status: 'running' };

const keyOf = (agentId: string | undefined, toolCallId: string): string => `${agentId ?? 'main'}\u0000${toolCallId}`;

/**
 * Correlates the tool events of a session into the state of each tool call.
 *
 * Follows every call from `tool.execution_start` through `_partial_result` and `_progress` to
 * `tool.execution_complete`, by agent and `toolCallId`, and emits the call's new state at each step.
 *
 * ```
 * source:  -s--p--c--t-x-e-|       s = start(t1), p = partial result(t1), c = complete(t1, success)
 * toolCalls()                      t = start(t2), x = abort, e = assistant.turn_end
 * result:  -a--b--c--d-z---|       a = { t1 running }, b = { t1 running, output }, c = { t1 succeeded, durationMs: 6 }
 *                                  d = { t2 running }, z = { t2 interrupted }
 * ```
 *
 * Tool-call ids come from the model provider and repeat across agents and turns (the main agent and
 * a sub-agent both used `toolcall_0` in one session), so calls are keyed by `(agentId ?? 'main',
 * toolCallId)` (protocol.md §5.2). The CLI sends no completion for a tool that was running when its
 * turn was aborted (protocol.md §7.5): a call still running at its agent's `abort` or
 * `assistant.turn_end` (the main agent's `abort`: every agent's), or at `session.idle` or
 * `session.shutdown`, ends `interrupted`, so no call is left `running`. Progress and results of a
 * call whose start came before the subscription are not tracked.
 *
 * Completes when the source completes and errors when it errors, without inventing an end for
 * calls still running (the tools may well still run). Unsubscribing drops the state. An `agents`
 * predicate that throws errors the result.
 *
 * ## Example
 * ```ts
 * session.events$.pipe(toolCalls()).subscribe((call) =>
 *   ui.upsert(call.toolCallId, `${call.toolName}: ${call.status}${call.durationMs ? ` (${call.durationMs} ms)` : ''}`),
 * );
 * ```
 *
 * @see detectIdle
 * @param config Which agents and the clock; defaults: all agents, `asyncScheduler`.
 * @return A function that returns an Observable of tool-call states.
 */
export function toolCalls(config: ToolCallsConfig = {}): OperatorFunction<EventLike, ToolCallState> {
  const { scheduler = asyncScheduler } = config;
  const wantsAgent = selectAgents(config.agents ?? 'all');

  return operate<EventLike, ToolCallState>((source, subscriber) => {
    const running = new Map<string, Running>();

    const update = (key: string, state: ToolCallState): void => {
      if (state.status === 'running') running.set(key, state as Running);
      else running.delete(key);
      subscriber.next(state);
    };
    const end = (call: Running, ending: Partial<ToolCallState> & Pick<ToolCallState, 'status'>): ToolCallState => ({
      ...call,
      ...ending,
      durationMs: scheduler.now() - call.startedAt,
    });
    /** Interrupts the running calls of one agent, or of every agent when `agentId` is null. */
    const interrupt = (agentId: string | undefined | null, by: string): void => {
      for (const [key, call] of running) {
        if (agentId !== null && call.agentId !== agentId) continue;
        // Emitting may synchronously unsubscribe us; the closed subscriber ignores the rest.
        update(key, end(call, { status: 'interrupted', error: { message: `No completion: still running at ${by}`, code: 'interrupted' } }));
      }
    };

    const onEvent = (event: EventLike): void => {
      if (isEvent(event, 'abort')) return interrupt(event.agentId ?? null, 'abort');
      if (isEvent(event, 'session.idle') || isEvent(event, 'session.shutdown')) return interrupt(null, event.type);
      if (isEvent(event, 'assistant.turn_end')) return interrupt(event.agentId, 'assistant.turn_end');
      if (!event.type.startsWith('tool.execution_') || !wantsAgent(event)) return;

      const agent = event.agentId === undefined ? {} : { agentId: event.agentId };
      if (isEvent(event, 'tool.execution_start')) {
        const { toolCallId, toolName } = event.data;
        const args = event.data.arguments === undefined ? {} : { arguments: event.data.arguments };
        return update(keyOf(event.agentId, toolCallId), { ...agent, toolCallId, toolName, ...args, status: 'running', output: '', startedAt: scheduler.now() });
      }
      const key = keyOf(event.agentId, (event.data as { readonly toolCallId: string }).toolCallId);
      const call = running.get(key);
      if (call === undefined) return;
      if (isEvent(event, 'tool.execution_partial_result')) return update(key, { ...call, output: call.output + event.data.partialOutput });
      if (isEvent(event, 'tool.execution_progress')) return update(key, { ...call, progress: event.data.progressMessage });
      if (isEvent(event, 'tool.execution_complete')) {
        const { success, result, error } = event.data;
        update(key, end(call, { status: success ? 'succeeded' : 'failed', ...(result === undefined ? {} : { result }), ...(error === undefined ? {} : { error }) }));
      }
    };

    // What onEvent throws (an `agents` predicate, an event without its data) errors the result.
    source.subscribe(createOperatorSubscriber(subscriber, { next: onEvent }));

    return () => running.clear();
  });
}
