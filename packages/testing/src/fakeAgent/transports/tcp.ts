import { createServer, type Socket } from 'node:net';

/** The only address the fake agent listens on: tests stay offline. */
export const LOOPBACK = '127.0.0.1';

/** A listening fake agent. */
export interface FakeAgentServer {
  readonly host: typeof LOOPBACK;
  readonly port: number;
  /** Stops listening and ends every open connection. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 and hands every accepted socket to `accept`. */
export function listenTcp(port: number, accept: (socket: Socket) => void): Promise<FakeAgentServer> {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return Promise.reject(new RangeError(`port must be an integer from 0 to 65535. Got ${String(port)}`));
  }
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    // Without it every small frame waits for the ACK of the previous one (about 40 ms on loopback).
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    accept(socket);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error(`The fake agent's server reported no TCP address. Got ${String(address)}`));
        return;
      }
      resolve({
        host: LOOPBACK,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.end();
            server.close(() => done());
            // Sockets that do not finish their goodbye in time are cut.
            setImmediate(() => {
              for (const socket of sockets) socket.destroy();
            });
          }),
      });
    });
  });
}
