/**
 * Requests of a client that may reconnect. A request made while the link is being re-established
 * waits for it (bounded: the reconnect gives up after its attempts) instead of failing; a request in
 * flight when the link broke fails with RequestInterruptedError, which says the CLI may have applied
 * it, because its answer is lost and re-sending could act twice (`session.send` is not idempotent).
 * The one exception is an answer to the agent (`handlePending*`): the CLI keeps the first answer to a
 * request id and refuses repeats, so re-sending it after the reconnect is safe, and the agent, which
 * kept the request pending (`continuePendingWork`), needs it.
 */
import { Observable, defer, filter, map, switchMap, take, catchError } from 'rxjs';
import { ConnectionClosedError, InvalidStateError, RequestInterruptedError } from '../errors.js';
import type { RequestOptions, RpcConnection } from '../rpc/connection.js';
import type { ConnectionState } from './state.js';

export interface Link {
  readonly state$: Observable<ConnectionState>;
  /** The connection in use; undefined between links. */
  rpc(): RpcConnection | undefined;
  /** True when a lost link is reopened rather than fatal. */
  readonly reconnects: boolean;
}

/** A request over the client's current link (see the module comment for the reconnect semantics). */
export function requestOverLink(link: Link, method: string, params: object, options: RequestOptions): Observable<unknown> {
  const send$ = currentConnection(link).pipe(switchMap((rpc) => rpc.request(method, params, options)));
  if (!link.reconnects) return send$;
  return send$.pipe(
    catchError((error: unknown) => {
      if (!(error instanceof ConnectionClosedError)) throw error;
      if (isAnswerToTheAgent(method)) return requestOverLink(link, method, params, options);
      throw new RequestInterruptedError(method, true, { cause: error });
    }),
  );
}

/** The connected link's RpcConnection: at once when connected, after the reconnect when reconnecting. */
function currentConnection(link: Link): Observable<RpcConnection> {
  return defer(() => link.state$).pipe(
    filter((state) => state.status !== 'reconnecting'),
    take(1),
    map((state) => {
      const rpc = link.rpc();
      if (state.status === 'closed') throw state.error;
      // `stopping`: stop() itself still sends (session.destroy, runtime.shutdown) on the link.
      if (!rpc || (state.status !== 'connected' && state.status !== 'stopping')) {
        throw new InvalidStateError(`The client is ${state.status}; call start() first (a stopped client cannot restart)`);
      }
      return rpc;
    }),
  );
}

function isAnswerToTheAgent(method: string): boolean {
  return /^session\.[A-Za-z]+\.handlePending[A-Za-z]*$/.test(method);
}
