import type { Observable } from 'rxjs';
import type { RequestOptions } from '../rpc/connection.js';

/** What a session needs from its client: requests on the connection, and a place to report. */
export interface SessionHost {
  request(method: string, params: object, options?: RequestOptions): Observable<unknown>;
  call(method: string, params: object, options?: RequestOptions): Promise<unknown>;
  /** Forgets the session's route (after destroy). */
  closeRoute(sessionId: string): void;
  /** Runs a turn under the client's bound on concurrent turns: subscribed when a slot frees. */
  scheduleTurn<T>(turn$: Observable<T>): Observable<T>;
  /** Reports an answer copilot-rx could not deliver or had to make up (see AnswerFailure). */
  reportAnswerFailure(failure: AnswerFailure): void;
}

/**
 * Why an answer went wrong:
 * - `undeliverable`: the answer could not be sent (the CLI refused it, or is gone);
 * - `handler-failed`: the app's handler threw, rejected, or its Observable errored;
 * - `invalid-answer`: the handler settled with nothing or with a value of the wrong shape;
 * - `handler-timeout`: the handler did not settle within its `handlerTimeouts` deadline;
 * - `abort-failed`: the `session.abort` sent because a turn's subscriber left early failed.
 * In every handler case the safe answer (deny, failed tool result, decline, "no") was sent at once.
 */
export type AnswerFailureReason = 'undeliverable' | 'handler-failed' | 'invalid-answer' | 'handler-timeout' | 'abort-failed';

/** An answer to the agent that could not be delivered, or that copilot-rx had to give in a handler's place. */
export interface AnswerFailure {
  readonly sessionId: string;
  /** The RPC method that carries (or carried) the answer, e.g. `session.permissions.handlePendingPermissionRequest`. */
  readonly method: string;
  /** The request answered; '' for `abort-failed`, which answers no request. */
  readonly requestId: string;
  readonly reason: AnswerFailureReason;
  /** A typed error (HandlerTimeoutError, InvalidHandlerAnswerError, RpcError...) or what the handler threw. */
  readonly error: unknown;
}
