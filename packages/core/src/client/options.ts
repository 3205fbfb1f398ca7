import type { AgentRuntime } from '../transport/agentRuntime.js';
import type { CliLogLevel, Transport } from '../transport/types.js';
import type { ReconnectConfig } from './reconnect.js';
import type { ListModelsHandler } from '../conveniences/runtimeControls.js';
import type { RpcConnectionConfig } from '../rpc/connection.js';

export interface CopilotRxClientOptions {
  /** Path to the CLI binary; default: COPILOT_CLI_PATH, the installed platform package, then PATH. */
  readonly cliPath?: string;
  /**
   * Which installed agent to spawn when `cliPath` and COPILOT_CLI_PATH are not given: `'cli'` (the
   * Copilot CLI, `@github/copilot`) or `'sdk-runtime'` (the official SDK's bundled runtime, far faster
   * with many concurrent sessions). Default `'cli'`. See the README, "Choosing the agent process".
   */
  readonly runtime?: AgentRuntime;
  /** Extra CLI arguments, placed before the ones copilot-rx adds. */
  readonly cliArgs?: readonly string[];
  /** Working directory of the CLI process. */
  readonly cwd?: string;
  /** Environment of the CLI process. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  readonly logLevel?: CliLogLevel;
  /** A GitHub token for the CLI, passed through the environment, never on the command line. */
  readonly authToken?: string;
  /**
   * How to reach the CLI. Default: spawn it over stdio with the options above. `'tcp'` spawns it in
   * TCP mode; or pass a transport: `tcpTransport(...)` to attach to a running server,
   * `streamTransport(...)` for any stream pair. A function making a new transport each time (e.g.
   * `() => tcpTransport({ port })`) lets `reconnect` open the link again.
   */
  readonly transport?: Transport | 'stdio' | 'tcp' | (() => Transport);
  /** The token `connect` carries when the transport does not supply one (a running TCP server's). */
  readonly connectionToken?: string;
  /** How many recent event ids are remembered to drop re-sent events. Default: 65 536. */
  readonly dedupeWindow?: number;
  /**
   * How many turns (`session.send()`) may run at once on this client; later ones wait in a first-come
   * queue, sending nothing until a slot frees (`client.turnQueue$` shows it). A positive integer or
   * `Infinity`. Default: 8 (bench/RESULTS.md, "Concurrency", shows why).
   */
  readonly maxConcurrentTurns?: number;
  /**
   * How long `start()` waits for the handshake. Default: 30 000 ms. A reconnect waits as long for its
   * handshake and, unless `requestTimeoutMs` is set, for each request that re-attaches a session
   * (`session.resume`, the event-log reads): past it the attempt fails and the next one begins.
   */
  readonly startupTimeoutMs?: number;
  /**
   * How long any request to the CLI may stay unanswered before it fails with RequestTimeoutError and
   * is cancelled on the wire; a call's own `timeoutMs` wins. Covers `session.send` (answered at once:
   * the turn itself is not bounded by it, see `silenceTimeoutMs`), `session.create` and the answers to
   * the agent's prompts. Default: none (a long `session.create`, e.g. starting MCP servers, is legal).
   */
  readonly requestTimeoutMs?: number;
  /**
   * Reopen a lost link instead of ending every stream (opt-in): `state$` shows `reconnecting`, every
   * attached session is resumed and backfilled, running turns go on. Needs a transport that can be
   * reopened: `transport` as a function, or a spawned CLI with `restartCli`. See the README,
   * "Sessions that survive".
   */
  readonly reconnect?: ReconnectConfig;
  /**
   * Supplies `client.listModels()` instead of the CLI's `models.list` (the official SDK's
   * `onListModels`): for BYOK setups, where the CLI has no account to ask. Checked like any handler's answer.
   */
  readonly onListModels?: ListModelsHandler;
  /**
   * How long `onListModels` may take before `listModels()` fails with HandlerTimeoutError and the
   * supplier's `signal` fires. Default: DEFAULT_LIST_MODELS_TIMEOUT_MS, 30 000 ms; `Infinity`: none.
   */
  readonly listModelsTimeoutMs?: number;
  /**
   * Limits of the incoming byte stream: `maxMessageBytes` (default 64 MiB: a larger claim is skipped
   * and the reader resynchronises on the next header), `maxHeaderBytes`, `highWaterMark` and
   * `stallReportMs` (default 5 000 ms: a lying Content-Length is reported as `stalled` on
   * `malformed$`). See the core README, "Bad input from the CLI".
   */
  readonly reader?: RpcConnectionConfig;
}
