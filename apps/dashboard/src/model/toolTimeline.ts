import { asyncScheduler, combineLatest, map, scan, startWith, type Observable, type SchedulerLike } from 'rxjs';
import { toolCalls, type EventLike, type ToolCallState } from '@copilot-rx/operators';
import { clip, displayJson } from './clip';
import type { PendingPermission } from './pendingPermissions';
import type { ToolView } from './view';

/** Calls kept per session, newest last. */
export const MAX_TOOL_CALLS = 50;

const keyOf = (call: ToolCallState): string => `${call.agentId ?? 'main'}\u0000${call.toolCallId}`;

function resultOf(call: ToolCallState): string | null {
  if (call.error) return clip(call.error.message);
  if (call.result?.content !== undefined) return clip(call.result.content);
  return call.output === '' ? null : clip(call.output);
}

function toView(call: ToolCallState, waitingForPermission: boolean): ToolView {
  return {
    toolCallId: call.toolCallId,
    name: call.toolName,
    arguments: displayJson(call.arguments ?? {}),
    status: call.status === 'running' && waitingForPermission ? 'waiting for permission' : call.status,
    startedAt: new Date(call.startedAt).toISOString(),
    durationMs: call.durationMs === undefined ? null : Math.round(call.durationMs),
    result: resultOf(call),
  };
}

/**
 * The timeline of a session's tool calls (from `toolCalls`), with a call shown as waiting for
 * permission while a prompt about it is pending.
 */
export function toolTimeline(
  events$: Observable<EventLike>,
  permissions$: Observable<readonly PendingPermission[]>,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<readonly ToolView[]> {
  const calls$ = events$.pipe(
    toolCalls({ scheduler }),
    scan((calls: ReadonlyMap<string, ToolCallState>, call) => {
      const next = new Map(calls);
      next.set(keyOf(call), call);
      // Map keeps insertion order: the oldest calls go first when the timeline is full.
      for (const key of next.keys()) {
        if (next.size <= MAX_TOOL_CALLS) break;
        next.delete(key);
      }
      return next;
    }, new Map<string, ToolCallState>()),
    startWith(new Map<string, ToolCallState>()),
  );
  return combineLatest([calls$, permissions$]).pipe(
    map(([calls, permissions]) => {
      const asked = new Set(permissions.map((p) => p.toolCallId));
      return [...calls.values()].map((call) => toView(call, asked.has(call.toolCallId)));
    }),
  );
}
