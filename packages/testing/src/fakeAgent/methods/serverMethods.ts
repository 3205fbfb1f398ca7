/** Methods about the server rather than a session: `ping`, `status.get`, `auth.getStatus`, `runtime.shutdown`. */
import type { MethodHandler } from './MethodContext.js';

/** The protocol version the fake speaks; the SDK requires exactly 3. */
export const PROTOCOL_VERSION = 3;

export const ping: MethodHandler = (params, { agent }) => ({
  result: {
    message: `pong: ${params.optionalString('message') ?? ''}`,
    timestamp: new Date(agent.context.scheduler.now()).toISOString(),
    protocolVersion: PROTOCOL_VERSION,
  },
});

/** `status.get` reports "0.0.1", not the package version `connect` reports (protocol.md §1.6). */
export const statusGet: MethodHandler = () => ({ result: { version: '0.0.1', protocolVersion: PROTOCOL_VERSION } });

export const authGetStatus: MethodHandler = () => ({
  result: { isAuthenticated: true, authType: 'token', login: 'fake-user', statusMessage: 'Authenticated (fake agent)' },
});

/** Destroys every loaded session, then answers `null`. The runtime does not exit by itself (§1.7). */
export const runtimeShutdown: MethodHandler = (_params, { agent }) => {
  for (const session of agent.sessions.values()) if (session.loaded) session.shutdown();
  return { result: null };
};
