import type { Readable, Writable } from 'node:stream';
import type { AgentRuntime } from './agentRuntime.js';

/** Why and how a transport connection ended. */
export interface TransportCloseInfo {
  /** A short human-readable reason: "the CLI exited", "the socket closed", ... */
  readonly reason: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * One live byte channel to a Copilot CLI: Content-Length framed JSON-RPC flows over `readable` and
 * `writable`. The RPC layer sees only this interface; spawning and sockets stay behind it.
 */
export interface TransportConnection {
  /** Bytes from the CLI. */
  readonly readable: Readable;
  /** Bytes to the CLI. */
  readonly writable: Writable;
  /** Resolves once, when the channel is gone (process exit, socket close). Never rejects. */
  readonly closed: Promise<TransportCloseInfo>;
  /** The connection token the `connect` handshake must carry, when the server requires one (tcp). */
  readonly connectionToken?: string;
  /** The spawned CLI's pid, when this transport spawned one. */
  readonly pid?: number;
  /** The server's TCP port (tcp transports). */
  readonly port?: number;
  /** For messages and logs, e.g. "copilot (pid 4242) over stdio". Never contains a token. */
  readonly description: string;
  /** The last lines the CLI wrote to stderr (bounded), for error messages; "" when unknown. */
  stderrTail(): string;
  /**
   * Ends the channel and releases everything: ends the socket or stdin, waits for the process to exit
   * (escalating to SIGKILL after a grace period) and resolves when nothing is left running.
   */
  dispose(): Promise<void>;
  /** Kills the CLI process at once (SIGKILL), or destroys the socket. For forced stops. */
  kill(): void;
}

/** A recipe for a connection: `open()` spawns or connects. One transport may be opened once per start. */
export interface Transport {
  readonly kind: 'stdio' | 'tcp' | 'streams';
  open(): Promise<TransportConnection>;
}

/** `--log-level` values of the CLI. */
export type CliLogLevel = 'none' | 'error' | 'warning' | 'info' | 'debug' | 'all';

/** How to launch the CLI (stdio and spawned-tcp transports). */
export interface CliProcessOptions {
  /** Path to the CLI binary (or a `.js` entry, run with this Node). Default: see `resolveCliPath`. */
  readonly cliPath?: string;
  /**
   * Which installed agent to launch when no `cliPath` is given: `'cli'` (the Copilot CLI binary) or
   * `'sdk-runtime'` (the official SDK's bundled runtime). Default `'cli'`. See `resolveCliPath`.
   */
  readonly runtime?: AgentRuntime;
  /** Extra arguments, placed before the ones copilot-rx adds (as the official SDK does). */
  readonly args?: readonly string[];
  /** Working directory of the CLI process. Default: `process.cwd()`. */
  readonly cwd?: string;
  /** Environment of the CLI process. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** `--log-level`. Default: not passed (the CLI's default). */
  readonly logLevel?: CliLogLevel;
  /**
   * A GitHub token for the CLI, passed through the environment (`--auth-token-env`), never on the
   * command line. Giving one also passes `--no-auto-login`.
   */
  readonly authToken?: string;
  /** How long the CLI may take to become ready (tcp: print its port). Default: 30 000 ms. */
  readonly startupTimeoutMs?: number;
  /**
   * How long `dispose()` lets the CLI exit politely (stdin end, then SIGTERM) before it sends
   * SIGKILL. Default: 3 000 ms.
   */
  readonly shutdownGraceMs?: number;
}
