import * as fs from 'node:fs';
import * as path from 'node:path';
import { Observable, type OperatorFunction, type SchedulerAction, type SchedulerLike, VirtualTimeScheduler } from 'rxjs';
import { dedupeEvents } from '../../packages/operators/src/dedupeEvents';
import type { EventLike } from '../../packages/operators/src/events';

/** Real JSON-RPC traffic of the Copilot CLI, recorded next to the repository (<repo>/../shared/transcripts). */
export const TRANSCRIPTS = path.resolve(__dirname, '../../../shared/transcripts');

export interface Timed {
  readonly t: number;
  readonly event: EventLike;
}

export function listJsonl(folder: string): string[] {
  const dir = path.join(TRANSCRIPTS, folder);
  if (!fs.existsSync(dir)) throw new Error(`The recorded transcripts are missing: no folder ${dir}`);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => `${folder}/${name}`);
}

/** The `session.event` notifications of a transcript, per session, in wire order. */
export function loadSessions(file: string): Map<string, Timed[]> {
  const sessions = new Map<string, Timed[]>();
  const lines = fs.readFileSync(path.join(TRANSCRIPTS, file), 'utf8').split('\n');
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

