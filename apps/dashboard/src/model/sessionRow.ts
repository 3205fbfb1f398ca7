import { asyncScheduler, auditTime, combineLatest, distinctUntilChanged, filter, map, scan, startWith, type Observable, type SchedulerLike } from 'rxjs';
import {
  countTokens,
  streamMetrics,
  usageTotals,
  type EventLike,
  type StreamMetrics,
  type TokenCount,
  type UsageTotals,
} from '@copilot-rx/operators';
import { FRAME_MS } from './frameRate';
import type { PendingPermission } from './pendingPermissions';
import { initialPhase, nextPhase, type Phase } from './sessionPhase';
import type { Activity, SessionRow, ToolView } from './view';

interface RowInputs {
  readonly phase: Phase;
  readonly turns: number;
  readonly model: string;
  readonly usage: UsageTotals | undefined;
  readonly tokens: TokenCount | undefined;
  readonly metrics: StreamMetrics | undefined;
  readonly tools: readonly ToolView[];
  readonly permissions: readonly PendingPermission[];
}

/** A pending prompt outranks a running tool, which outranks what the model is doing. */
function activityOf({ phase, tools, permissions }: RowInputs): Activity {
  if (permissions.length > 0) return 'waiting for permission';
  if (tools.some((tool) => tool.status === 'running')) return 'running tool';
  return phase.activity;
}

function toRow(inputs: RowInputs): SessionRow {
  const { usage, tokens, metrics } = inputs;
  return {
    activity: activityOf(inputs),
    model: inputs.model,
    turns: inputs.turns,
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: tokens?.estimatedOutputTokens ?? usage?.outputTokens ?? 0,
    cachedTokens: usage?.cacheReadTokens ?? 0,
    cost: usage?.cost ?? 0,
    ttftMs: metrics?.timeToFirstTokenMs === undefined ? null : Math.round(metrics.timeToFirstTokenMs),
    tokensPerSecond: metrics?.tokensPerSecond === undefined ? null : Math.round(metrics.tokensPerSecond * 10) / 10,
    toolsInProgress: inputs.tools.filter((tool) => tool.status === 'running' || tool.status === 'waiting for permission').map((tool) => tool.name),
    error: inputs.phase.error,
  };
}

const sameRow = (a: SessionRow, b: SessionRow): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * A session's row of the sessions table, from the operators: `usageTotals` (input, cached, cost),
 * `countTokens` (output tokens, estimated while a call streams and exact once its usage arrives),
 * `streamMetrics` (time to first token, tokens per second), plus the phase, turn count and model read
 * from the events. Emitted at most once a frame, and only when something shown changed.
 */
export function sessionRow(
  events$: Observable<EventLike>,
  configuredModel: string,
  tools$: Observable<readonly ToolView[]>,
  permissions$: Observable<readonly PendingPermission[]>,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<SessionRow> {
  const main$ = events$.pipe(filter((event) => event.agentId === undefined));
  return combineLatest({
    phase: events$.pipe(scan(nextPhase, initialPhase), startWith(initialPhase)),
    turns: main$.pipe(
      filter((event) => event.type === 'user.message'),
      scan((count) => count + 1, 0),
      startWith(0),
    ),
    model: main$.pipe(
      filter((event) => event.type === 'assistant.usage'),
      map((event) => (event.data as { readonly model?: unknown }).model),
      filter((model): model is string => typeof model === 'string'),
      startWith(configuredModel),
    ),
    usage: events$.pipe(usageTotals(), startWith(undefined)),
    tokens: events$.pipe(countTokens({ scheduler }), startWith(undefined)),
    metrics: events$.pipe(streamMetrics({ scheduler }), startWith(undefined)),
    tools: tools$,
    permissions: permissions$,
  }).pipe(auditTime(FRAME_MS, scheduler), map(toRow), distinctUntilChanged(sameRow));
}
