/**
 * How an Observable piped to a network peer ended. The adapters resolve with it (they never reject),
 * so a server can log or count outcomes without try/catch around every response.
 */
export type StreamOutcome =
  /** The Observable completed and everything was handed to the peer. */
  | { readonly reason: 'completed' }
  /** The Observable errored; the peer was told (an `error` frame, a close code). */
  | { readonly reason: 'errored'; readonly error: unknown }
  /** The peer went away first; the subscription was cancelled (which aborts a running turn). */
  | { readonly reason: 'disconnected' }
  /** The peer read too slowly and the bounded buffer filled; the connection was cut. */
  | { readonly reason: 'overflowed'; readonly error: Error }
  /** The caller's AbortSignal fired; the subscription was cancelled and the response ended. */
  | { readonly reason: 'aborted' };
