import type { Observable } from 'rxjs';

/** What a session needs from its client: requests on the connection, and a place to report. */
export interface SessionHost {
  request(method: string, params: object): Observable<unknown>;
  call(method: string, params: object): Promise<unknown>;
  /** Forgets the session's route (after destroy). */
  closeRoute(sessionId: string): void;
  /** Runs a turn under the client's bound on concurrent turns: subscribed when a slot frees. */
  scheduleTurn<T>(turn$: Observable<T>): Observable<T>;
  /** Reports an answer copilot-rx could not deliver (the CLI is gone, or refused it). */
  reportAnswerFailure(failure: AnswerFailure): void;
}

/** An answer to a broadcast request that could not be delivered. */
export interface AnswerFailure {
  readonly sessionId: string;
  readonly method: string;
  readonly requestId: string;
  readonly error: unknown;
}
