import { asyncScheduler, map, merge, shareReplay, type Observable, type SchedulerLike } from 'rxjs';
import type { EventLike } from '@copilot-rx/operators';
import type { SessionPatch } from './patches';
import { pendingPermissions } from './pendingPermissions';
import { sessionRow } from './sessionRow';
import { textPatches } from './textPatches';
import { toolTimeline } from './toolTimeline';
import { transcriptPatches } from './transcriptPatches';

/**
 * Everything the page shows about one session, as patches computed from the session's events: its
 * row, transcript, answer and reasoning text, tool timeline and pending permission prompts. Completes
 * when the session's events complete (the session was destroyed or the connection ended).
 *
 * The events stream is hot, so each part subscribes to it directly. The permission list and the tool
 * timeline each feed several parts, so they are shared; with a replay of the latest value, because
 * they start with a value synchronously and a later subscriber (a combineLatest) must see it too.
 */
export function trackSession(
  sessionId: string,
  model: string,
  events$: Observable<EventLike>,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<SessionPatch> {
  const permissions$ = events$.pipe(pendingPermissions(), shareReplay({ bufferSize: 1, refCount: true }));
  const tools$ = toolTimeline(events$, permissions$, scheduler).pipe(shareReplay({ bufferSize: 1, refCount: true }));
  return merge(
    textPatches(sessionId, events$, scheduler),
    transcriptPatches(sessionId, events$),
    permissions$.pipe(map((list): SessionPatch => ({ kind: 'permissions', sessionId, permissions: list.map(({ toolCallId: _, ...view }) => view) }))),
    tools$.pipe(map((tools): SessionPatch => ({ kind: 'tools', sessionId, tools }))),
    sessionRow(events$, model, tools$, permissions$, scheduler).pipe(map((row): SessionPatch => ({ kind: 'row', sessionId, row }))),
  );
}
