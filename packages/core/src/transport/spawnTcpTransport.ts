/**
 * Spawn the CLI as a TCP server (protocol.md §1.5): no `--stdio`, stdin ignored, a connection token
 * in `COPILOT_CONNECTION_TOKEN`; the stdout line `listening on port N` is the readiness signal, then
 * a socket connects. Other clients may attach to the same server with `tcpTransport({ port })`.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { CliStartupError } from '../errors.js';
import { awaitListeningPort } from './awaitListeningPort.js';
import { buildCliCommand, validateConnectionToken, validatePort, validateProcessOptions } from './cliLaunch.js';
import { CliProcess, describeProcess } from './CliProcess.js';
import { connectSocket } from './connectSocket.js';
import { openOnce } from './openOnce.js';
import { resolveCliPath } from './resolveCliPath.js';
import { endSocket, socketClosed } from './socketLifecycle.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_HOST, DEFAULT_SHUTDOWN_GRACE_MS, DEFAULT_STARTUP_TIMEOUT_MS, SOCKET_END_GRACE_MS } from './defaults.js';
import { settlesWithin } from './settlesWithin.js';
import { validateHost } from './tcpTransport.js';
import type { CliProcessOptions, Transport, TransportCloseInfo, TransportConnection } from './types.js';

/** How to launch the CLI as a TCP server. */
export interface SpawnTcpTransportOptions extends CliProcessOptions {
  /** The port the CLI listens on. Default: 0, the CLI picks a free one and prints it. */
  readonly port?: number;
  /** The token clients must `connect` with. Default: a random UUID. Never logged. */
  readonly connectionToken?: string;
  /** Where to connect. Default: `127.0.0.1` (the CLI binds loopback only). */
  readonly host?: string;
}

/** When the socket closes, how long to wait for the process's exit code so `closed` can report it. */
const EXIT_INFO_GRACE_MS = 500;

/**
 * Spawns the Copilot CLI in TCP mode and connects to it.
 *
 * `open()` rejects with CliNotFoundError when no CLI is found, and with CliStartupError (exit code or
 * signal, stderr tail) when the CLI cannot run, exits before printing its port, stays silent for
 * `startupTimeoutMs`, or refuses the socket; the process is gone by then. `closed` resolves when the
 * socket closes, with the process's exit details when it died. `dispose()` ends the socket, then
 * stops the process (SIGTERM, then SIGKILL after `shutdownGraceMs`).
 *
 * @throws RangeError or TypeError, naming the option, for invalid options.
 */
export function spawnTcpTransport(options: SpawnTcpTransportOptions = {}): Transport {
  const { host = DEFAULT_HOST, port = 0, connectionToken } = options;
  validateProcessOptions(options);
  validateHost(host);
  validatePort('port', port, true);
  validateConnectionToken(connectionToken);
  return openOnce('tcp', async () => {
    const cliPath = resolveCliPath({ cliPath: options.cliPath, env: options.env, runtime: options.runtime });
    const token = connectionToken ?? randomUUID();
    const cli = await CliProcess.spawn({
      cliPath,
      command: buildCliCommand(cliPath, options, { kind: 'tcp', port, connectionToken: token }),
      cwd: options.cwd ?? process.cwd(),
      stdin: 'ignore',
      shutdownGraceMs: options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
      secrets: [token, ...(options.authToken === undefined ? [] : [options.authToken])],
    });
    try {
      const listening = await awaitListeningPort(cli, options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS);
      const socket = await connectSocket(host, listening, DEFAULT_CONNECT_TIMEOUT_MS).catch((failure: Error) => {
        throw new CliStartupError(`could not connect to ${host}:${listening}: ${failure.message}`, null, null, cli.stderrTail(), {
          cause: failure,
        });
      });
      return tcpConnection(cli, cliPath, socket, host, listening, token);
    } catch (error) {
      // Start-up failed: the process is ours to clean up, and nothing polite is owed to it.
      cli.kill();
      await cli.exited;
      throw error;
    }
  });
}

function tcpConnection(
  cli: CliProcess,
  cliPath: string,
  socket: Socket,
  host: string,
  port: number,
  connectionToken: string,
): TransportConnection {
  const closed = socketClosed(socket).then(async (socketReason): Promise<TransportCloseInfo> => {
    // The socket closes as the process dies, often a moment before its exit is reported.
    const exit = cli.exitInfo ?? (await settlesWithin(cli.exited, EXIT_INFO_GRACE_MS));
    return exit ?? { reason: socketReason, exitCode: null, signal: null };
  });
  return {
    readable: socket,
    writable: socket,
    closed,
    connectionToken,
    pid: cli.pid,
    port,
    description: `${describeProcess(cli, cliPath)} on ${host}:${port}`,
    stderrTail: () => cli.stderrTail(),
    dispose: async () => {
      await endSocket(socket, SOCKET_END_GRACE_MS);
      await cli.stop();
    },
    kill: () => {
      cli.kill();
      socket.destroy();
    },
  };
}
