/**
 * The shared end of a socket connection's life (tcp transports): one close report that says why, and
 * a polite end that falls back to destroy.
 */
import type { Socket } from 'node:net';

/**
 * Resolves once when the socket has closed, with the reason ("the socket closed (ECONNRESET)").
 * Keeps an 'error' listener on the socket for its whole life: a reset peer must not crash the app,
 * and the close report carries the error code instead.
 */
export function socketClosed(socket: Socket): Promise<string> {
  let lastError: string | undefined;
  socket.on('error', (error: NodeJS.ErrnoException) => (lastError = error.code ?? error.message));
  return new Promise((resolve) => {
    const report = () => resolve(lastError ? `the socket closed (${lastError})` : 'the socket closed');
    if (socket.closed) report();
    else socket.once('close', report);
  });
}

/** Ends the socket (FIN) and resolves once it has closed; destroys it if the peer takes over `graceMs`. */
export function endSocket(socket: Socket, graceMs: number): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.destroy(), graceMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.end();
  });
}
