/**
 * A TCP proxy on 127.0.0.1 between a client and a Copilot CLI server, which a test controls: cut every
 * open link (as a network failure would), refuse new ones (a server that does not come back), stall
 * the bytes, or cut the next link in its handshake. For testing reconnect handling:
 *
 * ```ts
 * const proxy = await startLinkProxy({ targetPort: cliPort });
 * const client = new CopilotRxClient({ transport: () => tcpTransport({ port: proxy.port, connectionToken }), reconnect: {} });
 * ...
 * proxy.cut();
 * ```
 */
import net from 'node:net';

export interface LinkProxyOptions {
  /** The CLI server's port. */
  readonly targetPort: number;
  /** The CLI server's host. Default: 127.0.0.1. */
  readonly targetHost?: string;
}

export interface LinkProxy {
  /** Where clients connect (on 127.0.0.1). */
  readonly port: number;
  /** Links accepted so far. */
  readonly linksAccepted: number;
  /** Links open now. */
  readonly linksOpen: number;
  /** Destroys every open link at both ends, at once, with no goodbye (a reset, not a close). */
  cut(): void;
  /** New links are accepted and destroyed at once, until `restore()`; open links are left alone. */
  refuse(): void;
  /** Accept and forward new links again. */
  restore(): void;
  /** Holds every byte in both directions (a stalled network) until `resume()`. */
  stall(): void;
  resume(): void;
  /** The next `count` links are destroyed as soon as the client sends its first bytes (mid-handshake). */
  cutNextInHandshake(count?: number): void;
  /** Stops listening and destroys every link. */
  close(): Promise<void>;
}

interface Link {
  readonly client: net.Socket;
  readonly server: net.Socket;
}

export async function startLinkProxy(options: LinkProxyOptions): Promise<LinkProxy> {
  const { targetPort, targetHost = '127.0.0.1' } = options;
  const links = new Set<Link>();
  let accepted = 0;
  let refusing = false;
  let stalled = false;
  let cutInHandshake = 0;

  const destroy = (link: Link) => {
    links.delete(link);
    // resetAndDestroy: the peer sees ECONNRESET, as after a network failure, not an orderly end.
    link.client.resetAndDestroy();
    link.server.resetAndDestroy();
  };

  const server = net.createServer((client) => {
    accepted++;
    client.on('error', () => undefined);
    if (refusing) return void client.resetAndDestroy();
    const upstream = net.connect(targetPort, targetHost);
    upstream.on('error', () => undefined);
    const link: Link = { client, server: upstream };
    links.add(link);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const cutThisOne = cutInHandshake > 0;
    if (cutThisOne) cutInHandshake--;
    client.on('data', (chunk: Buffer) => {
      if (cutThisOne) return destroy(link);
      forward(upstream, chunk);
    });
    upstream.on('data', (chunk: Buffer) => forward(client, chunk));
    // A link opened during a stall starts stalled.
    if (stalled) {
      client.pause();
      upstream.pause();
    }
    client.on('close', () => links.has(link) && destroy(link));
    upstream.on('close', () => links.has(link) && destroy(link));
  });

  // While stalled, the readers are paused: bytes wait in the kernel buffers, none is lost.
  const forward = (to: net.Socket, chunk: Buffer) => {
    if (!to.destroyed) to.write(chunk);
  };
  const setPaused = (paused: boolean) => {
    for (const { client, server: upstream } of links) {
      if (paused) {
        client.pause();
        upstream.pause();
      } else {
        client.resume();
        upstream.resume();
      }
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    get linksAccepted() {
      return accepted;
    },
    get linksOpen() {
      return links.size;
    },
    cut: () => {
      for (const link of [...links]) destroy(link);
    },
    refuse: () => {
      refusing = true;
    },
    restore: () => {
      refusing = false;
    },
    stall: () => {
      stalled = true;
      setPaused(true);
    },
    resume: () => {
      stalled = false;
      setPaused(false);
    },
    cutNextInHandshake: (count = 1) => {
      cutInHandshake += count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const link of [...links]) destroy(link);
        server.close(() => resolve());
      }),
  };
}
