import { asyncScheduler, map, merge, Observable, throttleTime, type SchedulerLike } from 'rxjs';
import { accumulateText, countTokens, type EventLike } from '@copilot-rx/operators';

/** What the component shows of one turn. */
export interface AnswerView {
  /** The answer so far (the latest message's text). */
  readonly text: string;
  /** Output tokens so far: estimated while streaming, exact once the model reports usage. */
  readonly tokens: number;
  readonly done: boolean;
  readonly error: string | null;
}

export const EMPTY_ANSWER: AnswerView = { text: '', tokens: 0, done: false, error: null };

/** A frame at 60 Hz: more views than this only cost change detection. */
const FRAME_MS = 16;

type Change = Partial<AnswerView>;

/**
 * One turn's events as the view a template renders: the text from `accumulateText` (the final
 * snapshot's authoritative text repairs any drift), the token count from `countTokens`, and done or
 * failed when the turn completes or errors; at most one view a frame (the last one always arrives).
 * Plain RxJS, so it runs and is tested without Angular; the component turns it into a signal with
 * `toSignal`.
 */
export function answerView(turn$: Observable<EventLike>, scheduler: SchedulerLike = asyncScheduler): Observable<AnswerView> {
  const changes$: Observable<Change> = merge(
    turn$.pipe(
      accumulateText(),
      map((snapshot): Change => ({ text: snapshot.text })),
    ),
    turn$.pipe(
      countTokens(),
      map((count): Change => ({ tokens: count.estimatedOutputTokens })),
    ),
  );
  const views$ = new Observable<AnswerView>((subscriber) => {
    let view = EMPTY_ANSWER;
    const emit = (change: Change) => subscriber.next((view = { ...view, ...change }));
    // A failed turn is still a view: the template shows the error next to the text that arrived.
    return changes$.subscribe({
      next: emit,
      error: (error: unknown) => {
        emit({ done: true, error: error instanceof Error ? error.message : String(error) });
        subscriber.complete();
      },
      complete: () => {
        emit({ done: true });
        subscriber.complete();
      },
    });
  });
  return views$.pipe(throttleTime(FRAME_MS, scheduler, { leading: true, trailing: true }));
}
