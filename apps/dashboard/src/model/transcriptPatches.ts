import { filter, map, type Observable } from 'rxjs';
import type { EventLike } from '@copilot-rx/operators';
import type { SessionPatch } from './patches';

type EntryPatch = Extract<SessionPatch, { kind: 'entry' }>;

function entryOf(sessionId: string, event: EventLike): EntryPatch | undefined {
  if (event.agentId !== undefined) return undefined;
  const data = (event.data ?? {}) as Readonly<Record<string, unknown>>;
  switch (event.type) {
    case 'user.message':
      return { kind: 'entry', sessionId, entry: { kind: 'prompt', text: String(data['content'] ?? '') } };
    case 'session.error':
      if (data['errorType'] === 'notification') return undefined;
      return { kind: 'entry', sessionId, entry: { kind: 'notice', level: 'error', text: `${String(data['errorType'] ?? 'error')}: ${String(data['message'] ?? '')}` } };
    case 'abort':
      return { kind: 'entry', sessionId, entry: { kind: 'notice', level: 'info', text: `Aborted (${String(data['reason'] ?? 'unknown reason')})` } };
    default:
      return undefined;
  }
}

/** The prompts of a session and what interrupted its turns (errors, aborts), as transcript entries. */
export function transcriptPatches(sessionId: string, events$: Observable<EventLike>): Observable<SessionPatch> {
  return events$.pipe(
    map((event) => entryOf(sessionId, event)),
    filter((patch): patch is EntryPatch => patch !== undefined),
  );
}
