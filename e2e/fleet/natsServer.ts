/**
 * A real nats-server (Debian's, with JetStream) for the fleet suites: on 127.0.0.1, a free port, a
 * temporary store directory (`-js -sd`), optionally a config file (users and permissions); stopped by
 * its pid. `restart()` keeps the port and the store, as a broker restarted in production would.
 * Every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireSystemTool } from '../support/systemTools';

export const natsServerTool = requireSystemTool('nats-server', { install: 'apt-get install nats-server', paths: ['/usr/sbin/nats-server'] });

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after a bound; waits for the exit. */
  stop(): Promise<void>;
  /** Stops it and starts it again on the same port and store. */
  restart(): Promise<void>;
  /** Stops it and removes its store. */
  dispose(): Promise<void>;
}

export interface NatsServerOptions {
  /** nats-server config text (e.g. `authorization { users = [...] }`); listen/port/store are set by flags. */
  readonly config?: string;
  readonly startTimeoutMs?: number;
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const binary = natsServerTool.path;
  if (!binary) throw new Error('nats-server is not installed (apt-get install nats-server)');
  const dir = mkdtempSync(path.join(tmpdir(), 'copilot-rx-nats-'));
  const port = await freePort();
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', path.join(dir, 'store')];
  if (options.config !== undefined) {
    writeFileSync(path.join(dir, 'server.conf'), options.config);
    args.push('-c', path.join(dir, 'server.conf'));
  }
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  let child = await launch(binary, args, port, timeoutMs);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid!, 'SIGTERM');
    const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    get pid() {
      return child.pid!;
    },
    stop,
    restart: async () => {
      await stop();
      child = await launch(binary, args, port, timeoutMs);
    },
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch(binary: string, args: string[], port: number, timeoutMs: number): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}: ${stderr}`);
    if ((await canConnect(port)) && /Server is ready/.test(stderr)) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`nats-server did not become ready on port ${port} within ${timeoutMs} ms: ${stderr}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
