import type { ConnectionClosedError } from '../errors.js';

/** The connection's life, as `client.state$` reports it. */
export type ConnectionState =
  | { readonly status: 'idle' }
  | { readonly status: 'starting' }
  | { readonly status: 'connected'; readonly cliVersion: string | undefined; readonly protocolVersion: number }
  | { readonly status: 'stopping' }
  | { readonly status: 'stopped' }
  | { readonly status: 'closed'; readonly error: ConnectionClosedError };
