/**
 * The `connect` handshake (protocol.md §1.6): `connect {token?}` must answer protocol version 3. Old
 * servers that lack `connect` are asked with `ping`. Each way it can fail has its own error: an
 * authentication failure, a version mismatch, the CLI exiting during start-up, or a timeout.
 */
import { timer, firstValueFrom, race, map, from } from 'rxjs';
import { ConnectResult, PingResult } from '../codecs/methods/index.js';
import { decodeOrThrow } from '../codecs/decodeWith.js';
import { AuthenticationError, CliStartupError, ProtocolVersionMismatchError, RpcError } from '../errors.js';
import type { RpcConnection } from '../rpc/connection.js';

export const PROTOCOL_VERSION = 3;
const METHOD_NOT_FOUND = -32601;
const AUTHENTICATION_FAILED = -32002;
const AUTHENTICATION_REQUIRED = -32001;

export interface HandshakeResult {
  readonly protocolVersion: number;
  readonly cliVersion: string | undefined;
}

export async function handshake(rpc: RpcConnection, token: string | undefined, timeoutMs: number): Promise<HandshakeResult> {
  const exited = from(rpc.closed).pipe(
    map((closed) => {
      throw new CliStartupError('the CLI exited before it answered `connect`', closed.exitCode, closed.signal, closed.stderrTail);
    }),
  );
  const timedOut = timer(timeoutMs).pipe(
    map(() => {
      throw new CliStartupError(
        `the CLI did not answer \`connect\` within ${timeoutMs} ms`,
        null,
        null,
        rpc.transport.stderrTail(),
      );
    }),
  );
  return firstValueFrom(race(from(negotiate(rpc, token)), exited, timedOut));
}

async function negotiate(rpc: RpcConnection, token: string | undefined): Promise<HandshakeResult> {
  let version: number | undefined;
  let cliVersion: string | undefined;
  try {
    const result = decodeOrThrow(ConnectResult, 'connect', await rpc.call('connect', token ? { token } : {}));
    version = result.protocolVersion;
    cliVersion = result.version;
  } catch (error) {
    if (!(error instanceof RpcError)) throw error;
    if (error.rpcCode === AUTHENTICATION_FAILED || error.rpcCode === AUTHENTICATION_REQUIRED) {
      throw new AuthenticationError(error.rpcCode, error.serverMessage);
    }
    if (error.rpcCode !== METHOD_NOT_FOUND) throw error;
    version = decodeOrThrow(PingResult, 'ping', await rpc.call('ping', {})).protocolVersion;
  }
  if (version !== PROTOCOL_VERSION) throw new ProtocolVersionMismatchError(PROTOCOL_VERSION, version, cliVersion);
  return { protocolVersion: version, cliVersion };
}
