import { Observable, type OperatorFunction, type SchedulerAction, type SchedulerLike, VirtualTimeScheduler } from 'rxjs';
import { dedupeEvents } from '../../packages/operators/src/dedupeEvents';
import type { EventLike } from '../../packages/operators/src/events';
import { listTranscripts, readTranscriptText } from '../../fixtures/transcripts';

export interface Timed {
  readonly t: number;
  readonly event: EventLike;
}

/** The recorded transcripts of a folder of fixtures/transcripts (e.g. `cli-1.0.81`), as names `loadSessions` takes. */
export function listJsonl(folder: string): string[] {
  return listTranscripts(folder);
}

/** The `session.event` notifications of a transcript, per session, in wire order. */
export function loadSessions(file: string): Map<string, Timed[]> {
  const sessions = new Map<string, Timed[]>();
  const lines = readTranscriptText(file).split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file}:${index + 1}`;
    let record: { t?: unknown; dir?: unknown; msg?: { method?: unknown; params?: { sessionId?: unknown; event?: { type?: unknown } } } };
    try {
      record = JSON.parse(line) as typeof record;
    } catch (err) {
      throw new Error(`${where} is not JSON: ${(err as Error).message}`);
    }
    if (record.dir !== 'cli->client' || record.msg?.method !== 'session.event') return;
    const { sessionId, event } = record.msg.params ?? {};
    if (typeof record.t !== 'number' || typeof sessionId !== 'string' || typeof event?.type !== 'string') {
      throw new Error(`${where} is a session.event without a numeric t, a string params.sessionId and a params.event with a type`);
    }
    let events = sessions.get(sessionId);
    if (events === undefined) sessions.set(sessionId, (events = []));
    events.push({ t: record.t, event: event as EventLike });
  });
  return sessions;
}

/** Replays a session at its recorded pace (its `t` stamps) on virtual time, through `dedupeEvents` and the operator. */
export function replay<T>(events: readonly Timed[], operator: (scheduler: SchedulerLike) => OperatorFunction<EventLike, T>): T[] {
  const scheduler = new VirtualTimeScheduler();
  // One pending action at a time: the virtual scheduler sorts its queue on every schedule, so
  // scheduling 10,000 events up front would cost seconds.
  const source = new Observable<EventLike>((subscriber) =>
    scheduler.schedule<number>(function emitFrom(this: SchedulerAction<number>, start = 0) {
      let i = start;
      for (const at = events[i]?.t; i < events.length && events[i]!.t === at; i++) subscriber.next(events[i]!.event);
      if (i < events.length) this.schedule(i, events[i]!.t - events[i - 1]!.t);
      else subscriber.complete();
    }, 0),
  );
  const out: T[] = [];
  let completed = false;
  source.pipe(dedupeEvents(), operator(scheduler)).subscribe({ next: (value) => out.push(value), complete: () => (completed = true) });
  scheduler.flush();
  if (!completed) throw new Error('The replayed operator did not complete when the transcript ended');
  return out;
}

