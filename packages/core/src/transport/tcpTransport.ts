/**
 * Attach to a Copilot CLI server that is already running (`copilot --headless --port N`): no process
 * is spawned or owned, so `dispose()` only closes the socket.
 */
import { CliConnectError } from '../errors.js';
import { validateConnectionToken, validatePort } from './cliLaunch.js';
import { connectSocket } from './connectSocket.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_HOST, SOCKET_END_GRACE_MS } from './defaults.js';
import { openOnce } from './openOnce.js';
import { endSocket, socketClosed } from './socketLifecycle.js';
import type { Transport } from './types.js';

/** Where the running server listens. */
export interface TcpTransportOptions {
  /** Default: `127.0.0.1` (the CLI binds loopback only). */
  readonly host?: string;
  /** The server's port, 1..65535. */
  readonly port: number;
  /** The token the server was started with (`COPILOT_CONNECTION_TOKEN`), for the `connect` handshake. */
  readonly connectionToken?: string;
  /** How long connecting may take. Default: 10 000 ms. */
  readonly connectTimeoutMs?: number;
}

/**
 * Connects to a running CLI server over TCP (Nagle off).
 *
 * `open()` rejects with CliConnectError naming `host:port` and the cause (ECONNREFUSED, a timeout).
 * `closed` resolves when the socket closes; there is no process, so no exit code and no stderr.
 *
 * @throws RangeError or TypeError, naming the option, for invalid options.
 */
export function tcpTransport(options: TcpTransportOptions): Transport {
  const { host = DEFAULT_HOST, port, connectionToken, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS } = options;
  validateHost(host);
  validatePort('port', port, false);
  validateConnectionToken(connectionToken);
  if (!(connectTimeoutMs > 0) || !Number.isFinite(connectTimeoutMs)) {
    throw new RangeError(`connectTimeoutMs must be a positive number of milliseconds. Got ${String(connectTimeoutMs)}`);
  }
  return openOnce('tcp', async () => {
    const socket = await connectSocket(host, port, connectTimeoutMs).catch((failure: Error) => {
      throw new CliConnectError(host, port, failure.message, { cause: failure });
    });
    const closed = socketClosed(socket).then((reason) => ({ reason, exitCode: null, signal: null }));
    return {
      readable: socket,
      writable: socket,
      closed,
      ...(connectionToken === undefined ? {} : { connectionToken }),
      port,
      description: `copilot server at ${host}:${port}`,
      stderrTail: () => '',
      dispose: () => endSocket(socket, SOCKET_END_GRACE_MS),
      kill: () => void socket.destroy(),
    };
  });
}

/** A host option: a non-empty string. */
export function validateHost(host: unknown): void {
  if (typeof host !== 'string' || host === '') {
    throw new TypeError(`host must be a non-empty host name or address. Got ${JSON.stringify(host)}`);
  }
}
