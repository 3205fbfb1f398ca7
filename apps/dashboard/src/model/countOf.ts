import { scan, startWith, type Observable } from 'rxjs';

/** How many values `source$` has emitted so far, starting at 0 (for the health bar's failure counters). */
export const countOf = (source$: Observable<unknown>): Observable<number> =>
  source$.pipe(
    scan((n) => n + 1, 0),
    startWith(0),
  );
