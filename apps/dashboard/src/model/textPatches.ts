import { asyncScheduler, auditTime, defer, filter, map, merge, tap, type Observable, type SchedulerLike } from 'rxjs';
import { accumulateText, bufferDeltas, type EventLike } from '@copilot-rx/operators';
import { FRAME_MS } from './frameRate';
import type { SessionPatch } from './patches';

/**
 * A session's answer and reasoning as patches: answer text coalesced to the frame rate with
 * `bufferDeltas` (appended by the page), each message's authoritative text when it ends (it replaces
 * what was appended, which repairs lost or repeated deltas), and reasoning snapshots at most once a
 * frame (each replaces the previous one).
 *
 * Ordering: `bufferDeltas` releases a message's buffered text at its `assistant.message`, and it is
 * subscribed before `accumulateText` on the same hot stream, so the text patches of a message always
 * precede its `text-final`.
 */
export function textPatches(sessionId: string, events$: Observable<EventLike>, scheduler: SchedulerLike = asyncScheduler): Observable<SessionPatch> {
  const appended$ = events$.pipe(
    bufferDeltas({ timeMs: FRAME_MS, scheduler }),
    map(({ messageId, text }): SessionPatch => ({ kind: 'text', sessionId, messageId, text })),
  );
  const finals$ = events$.pipe(
    accumulateText(),
    // A message that only asks for tools has no text: it gets no entry.
    filter((snapshot) => snapshot.final && (snapshot.text !== '' || snapshot.drift === true)),
    map(({ messageId, text }): SessionPatch => ({ kind: 'text-final', sessionId, messageId, text })),
  );
  const reasoning$ = defer(() => {
    // A throttled snapshot that lands after its block's final one would put older text back.
    const ended = new Set<string>();
    const snapshots$ = events$.pipe(accumulateText({ channel: 'reasoning' }));
    return merge(
      snapshots$.pipe(
        filter((s) => s.final),
        tap((s) => ended.add(s.reasoningId)),
      ),
      snapshots$.pipe(
        filter((s) => !s.final),
        auditTime(FRAME_MS, scheduler),
        filter((s) => !ended.has(s.reasoningId)),
      ),
    ).pipe(map(({ reasoningId, text }): SessionPatch => ({ kind: 'reasoning', sessionId, reasoningId, text })));
  });
  return merge(appended$, finals$, reasoning$);
}
