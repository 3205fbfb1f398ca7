import type { ConnectionClosedError } from '../errors.js';

/** The connection's life, as `client.state$` reports it. */
export type ConnectionState =
  | { readonly status: 'idle' }
  | { readonly status: 'starting' }
  | { readonly status: 'connected'; readonly cliVersion: string | undefined; readonly protocolVersion: number }
  /** The link was lost; attempt `attempt` (1-based) of `reconnect.maxAttempts` is next; `error` is why the last one ended. */
  | { readonly status: 'reconnecting'; readonly attempt: number; readonly error: unknown }
  | { readonly status: 'stopping' }
  | { readonly status: 'stopped' }
  | { readonly status: 'closed'; readonly error: ConnectionClosedError };
