import { auditTime, combineLatest, map, startWith, type Observable } from 'rxjs';
import type { CopilotRxClient } from '@copilot-rx/core';
import { countOf } from './countOf';
import { FRAME_MS } from './frameRate';
import type { Health } from './view';

/**
 * The connection's health from the client's streams: the CLI process state (`state$`, `pid`), events
 * that failed their codec (`decodeErrors$`), re-sent events dropped (`duplicatesDropped$`) and answers
 * that could not be delivered (`answerFailures$`). At most once a frame.
 */
export function connectionHealth(client: CopilotRxClient, mode: Health['mode']): Observable<Health> {
  return combineLatest({
    state: client.state$,
    decodeFailures: countOf(client.decodeErrors$),
    duplicatesDropped: client.duplicatesDropped$.pipe(startWith(0)),
    answerFailures: countOf(client.answerFailures$),
  }).pipe(
    auditTime(FRAME_MS),
    map(({ state, decodeFailures, duplicatesDropped, answerFailures }): Health => ({
      mode,
      cli: state.status,
      cliPid: state.status === 'connected' ? (client.pid ?? null) : null,
      broker: null,
      cliVersion: state.status === 'connected' ? (state.cliVersion ?? null) : null,
      cliError: state.status === 'closed' ? state.error.message : null,
      decodeFailures,
      duplicatesDropped,
      answerFailures,
    })),
  );
}
