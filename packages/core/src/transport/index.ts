/**
 * Transports: how bytes reach a Copilot CLI. `stdioTransport` spawns it over pipes (the default),
 * `spawnTcpTransport` spawns it as a TCP server, `tcpTransport` attaches to a running server, and
 * `streamTransport` speaks over any stream pair.
 */
export * from './types.js';
export { resolveCliPath, type ResolveCliPathOptions } from './resolveCliPath.js';
export { AGENT_RUNTIMES, DEFAULT_AGENT_RUNTIME, type AgentRuntime } from './agentRuntime.js';
export {
  buildCliArgs,
  buildCliEnv,
  buildCliCommand,
  AUTH_TOKEN_ENV,
  CONNECTION_TOKEN_ENV,
  type CliServerMode,
  type CliCommand,
} from './cliLaunch.js';
export { stdioTransport } from './stdioTransport.js';
export { spawnTcpTransport, type SpawnTcpTransportOptions } from './spawnTcpTransport.js';
export { tcpTransport, type TcpTransportOptions } from './tcpTransport.js';
export { streamTransport, type StreamTransportOptions } from './streamTransport.js';
export {
  DEFAULT_STARTUP_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
} from './defaults.js';
