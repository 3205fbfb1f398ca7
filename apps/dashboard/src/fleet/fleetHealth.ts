import { asyncScheduler, auditTime, combineLatest, map, type Observable, type SchedulerLike } from 'rxjs';
import { countOf } from '../model/countOf';
import { FRAME_MS } from '../model/frameRate';
import type { Health } from '../model/view';

/** The broker connection as the health bar shows it. */
export interface BrokerState {
  /** connected, reconnecting, closed. */
  readonly status: string;
  /** The server the connection is on, when known. */
  readonly server?: string;
  /** Why it is not connected, when known. */
  readonly error?: string;
}

export interface FleetHealthSources {
  readonly broker$: Observable<BrokerState>;
  /** Fleet messages that did not decode. */
  readonly decodeErrors$: Observable<unknown>;
  /** Remote aborts that failed after a turn was left (the control answers the page never waited for). */
  readonly controlFailures$: Observable<unknown>;
}

/**
 * The health bar in fleet mode: the broker connection in place of the CLI (each host's CLIs are in
 * the hosts table), undecodable fleet messages, and control answers that failed. At most once a frame.
 */
export function fleetHealth(sources: FleetHealthSources, scheduler: SchedulerLike = asyncScheduler): Observable<Health> {
  return combineLatest({
    broker: sources.broker$,
    decodeFailures: countOf(sources.decodeErrors$),
    answerFailures: countOf(sources.controlFailures$),
  }).pipe(
    auditTime(FRAME_MS, scheduler),
    map(({ broker, decodeFailures, answerFailures }): Health => ({
      mode: 'fleet',
      cli: broker.status,
      cliPid: null,
      broker: broker.server ?? null,
      cliVersion: null,
      cliError: broker.error ?? null,
      decodeFailures,
      // The fleet drops re-published events inside each read; there is no count to show.
      duplicatesDropped: 0,
      answerFailures,
    })),
  );
}
