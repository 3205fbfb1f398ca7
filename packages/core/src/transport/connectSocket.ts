/**
 * Opens a TCP socket to a CLI server with a deadline. `setNoDelay(true)` matters: with Nagle's
 * algorithm on, every request on loopback waits for the peer's delayed ACK (about 44 ms here).
 */
import { connect, type Socket } from 'node:net';

/** Why a connect attempt failed: the errno code (ECONNREFUSED, ENOTFOUND...) or "timed out after N ms". */
export class SocketConnectFailure extends Error {
  constructor(
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}

/**
 * Resolves with the connected socket (no-delay set), or rejects with a SocketConnectFailure; the
 * socket is destroyed on failure, so nothing stays open.
 */
export function connectSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    const fail = (failure: SocketConnectFailure) => {
      cleanup();
      socket.destroy();
      reject(failure);
    };
    const onError = (error: NodeJS.ErrnoException) => fail(new SocketConnectFailure(error.code ?? error.message, { cause: error }));
    const onConnect = () => {
      cleanup();
      resolve(socket);
    };
    const timer = setTimeout(() => fail(new SocketConnectFailure(`timed out after ${timeoutMs} ms`)), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('error', onError).off('connect', onConnect);
    };
    socket.once('error', onError).once('connect', onConnect);
  });
}
