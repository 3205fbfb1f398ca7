import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createAccessToken } from './accessToken';
import { loadPage } from './page';
import { route, sendError, type RouteContext } from './routes';

/** The only interface the dashboard binds: it is reachable from this machine and nowhere else. */
export const HOST = '127.0.0.1';

export interface DashboardServer {
  /** The URL to open, with the access token. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes every connection, open event streams included. */
  close(): Promise<void>;
}

export interface DashboardServerOptions extends Omit<RouteContext, 'token' | 'page'> {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default: a fresh random token. */
  readonly token?: string;
}

/** Serves the dashboard on 127.0.0.1 behind a random access token. */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const token = options.token ?? createAccessToken();
  const context: RouteContext = { token, page: loadPage(token), store: options.store, sessions: options.sessions };
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    // One bad request gets its own error response; the server and the other requests carry on.
    route(req, res, context).catch((error: unknown) => sendError(res, error));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      })),
  };
}
