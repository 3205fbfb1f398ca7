/**
 * Transports: how bytes reach a Copilot CLI. `stdioTransport` spawns it over pipes (the default),
 * `spawnTcpTransport` spawns it as a TCP server, `tcpTransport` attaches to a running server, and
 * `streamTransport` speaks over any stream pair.
 */
export * from './types';
export { resolveCliPath, type ResolveCliPathOptions } from './resolveCliPath';
export { AGENT_RUNTIMES, DEFAULT_AGENT_RUNTIME, type AgentRuntime } from './agentRuntime';
export {
  buildCliArgs,
  buildCliEnv,
  buildCliCommand,
  AUTH_TOKEN_ENV,
  CONNECTION_TOKEN_ENV,
  type CliServerMode,
  type CliCommand,
} from './cliLaunch';
export { stdioTransport } from './stdioTransport';
export { spawnTcpTransport, type SpawnTcpTransportOptions } from './spawnTcpTransport';
export { tcpTransport, type TcpTransportOptions } from './tcpTransport';
export { streamTransport, type StreamTransportOptions } from './streamTransport';
export {
  DEFAULT_STARTUP_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
} from './defaults';
