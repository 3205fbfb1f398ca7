import { mkdirSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import * as path from 'node:path';
import { CliStartupError, InvalidStateError } from '../errors';
import { fakeCliEnv, installFakeCli, isRunning, makeTempDir, readLaunchReport, readUntil, removeDir } from './fixtures/fakeCliFixture';
import { spawnTcpTransport, type SpawnTcpTransportOptions } from './spawnTcpTransport';
import type { TransportConnection } from './types';

describe('spawnTcpTransport', () => {
  let dir: string;
  let cli: string;
  const opened: TransportConnection[] = [];
  beforeEach(() => {
    dir = makeTempDir();
    cli = installFakeCli(dir);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    for (const connection of opened.splice(0)) await connection.dispose();
    removeDir(dir);
  });

  async function open(mode: string, extra: Record<string, string> = {}, options: SpawnTcpTransportOptions = {}) {
    const transport = spawnTcpTransport({ cliPath: cli, cwd: dir, env: fakeCliEnv({ FAKE_CLI_MODE: mode, ...extra }), ...options });
    const connection = await transport.open();
    opened.push(connection);
    return connection;
  }

  it('reads the port from the banner, connects with Nagle off and carries bytes over the socket', async () => {
    const noDelay = jest.spyOn(Socket.prototype, 'setNoDelay');
    const connection = await open('tcp');
    expect(connection.readable).toBeInstanceOf(Socket);
    expect(connection.writable).toBe(connection.readable);
    const socket = connection.readable as Socket;
    expect(socket.remotePort).toBe(connection.port);
    expect(socket.remoteAddress).toBe('127.0.0.1');
    expect(noDelay.mock.contexts).toContain(socket);
    expect(noDelay.mock.calls[noDelay.mock.contexts.indexOf(socket)]).toEqual([true]);

    const echoed = readUntil(connection.readable, 'over tcp');
    connection.writable.write('bytes over tcp');
    expect(await echoed).toBe('bytes over tcp');
    expect(connection.description).toBe(`copilot (pid ${connection.pid}) on 127.0.0.1:${connection.port}`);
  });

  it('reads the whole port when the banner arrives in two chunks', async () => {
    const connection = await open('tcp-split-banner');
    expect((connection.readable as Socket).remotePort).toBe(connection.port);
    const echoed = readUntil(connection.readable, 'intact');
    connection.writable.write('intact');
    expect(await echoed).toBe('intact');
  });

  it('launches without --stdio, with the connection token in the environment only', async () => {
    const report = path.join(dir, 'launch.json');
    const connection = await open('tcp', { FAKE_CLI_REPORT: report, NODE_DEBUG: 'net' }, { authToken: 'gho_secret_value', logLevel: 'info' });
    const launch = readLaunchReport(report);
    expect(launch.argv).toEqual(['--headless', '--no-auto-update', '--log-level', 'info', '--auth-token-env', 'COPILOT_SDK_AUTH_TOKEN', '--no-auto-login']);
    expect(launch.env['COPILOT_CONNECTION_TOKEN']).toBe(connection.connectionToken);
    expect(connection.connectionToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(launch.env['COPILOT_SDK_AUTH_TOKEN']).toBe('gho_secret_value');
    expect(launch.env['NODE_DEBUG']).toBeUndefined();
    expect(connection.description).not.toContain(connection.connectionToken);
  });

  it('passes a chosen port and connection token to the CLI', async () => {
    const report = path.join(dir, 'launch.json');
    const port = await freePort();
    const connection = await open('tcp', { FAKE_CLI_REPORT: report }, { port, connectionToken: 'my-connection-token' });
    expect(readLaunchReport(report).argv).toEqual(['--headless', '--no-auto-update', '--port', String(port)]);
    expect(readLaunchReport(report).env['COPILOT_CONNECTION_TOKEN']).toBe('my-connection-token');
    expect(connection.connectionToken).toBe('my-connection-token');
    expect(connection.port).toBe(port);
  });

  it('fails start-up with exit code and stderr tail, tokens masked, when the CLI exits before its banner', async () => {
    const error = await open('crash', { FAKE_CLI_EXIT_CODE: '9' }, { connectionToken: 'my-connection-token' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliStartupError);
    const startup = error as CliStartupError;
    expect(startup.exitCode).toBe(9);
    expect(startup.detail).toBe('the CLI exited before it printed its port');
    expect(startup.stderrTail).toContain('connection token ***');
    expect(startup.message).toContain('stderr line 60');
    expect(startup.message).not.toContain('my-connection-token');
  });

  it('fails start-up when no banner comes within startupTimeoutMs, and leaves no process', async () => {
    const report = path.join(dir, 'launch.json');
    // 1 s: long enough for the fake to be up and write its report even on a loaded machine.
    const error = await open('silent', { FAKE_CLI_REPORT: report }, { startupTimeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliStartupError);
    expect((error as Error).message).toContain('the CLI did not print "listening on port N" on stdout within 1000 ms');
    expect(isRunning(readLaunchReport(report).pid)).toBe(false);
  });

  it('reports the exit code in closed when the CLI dies while connected', async () => {
    const connection = await open('tcp-exit-on-connect', { FAKE_CLI_EXIT_CODE: '4' });
    expect(await connection.closed).toEqual({ reason: 'the CLI exited', exitCode: 4, signal: null });
    expect(isRunning(connection.pid!)).toBe(false);
  });

  it('dispose() ends the socket and stops the CLI, escalating to SIGKILL when SIGTERM is ignored', async () => {
    const connection = await open('tcp-stubborn', {}, { shutdownGraceMs: 300 });
    await connection.dispose();
    expect(isRunning(connection.pid!)).toBe(false);
    expect((connection.readable as Socket).destroyed).toBe(true);
    expect(await connection.closed).toEqual({ reason: 'the CLI was stopped', exitCode: null, signal: 'SIGKILL' });
  });

  it('dispose() stops a well-behaved CLI with SIGTERM', async () => {
    const connection = await open('tcp');
    await connection.dispose();
    expect(isRunning(connection.pid!)).toBe(false);
    expect(await connection.closed).toEqual({ reason: 'the CLI was stopped', exitCode: null, signal: 'SIGTERM' });
  });

  it('kill() kills the CLI and destroys the socket', async () => {
    const connection = await open('tcp');
    connection.kill();
    expect(await connection.closed).toEqual({ reason: 'the CLI was killed', exitCode: null, signal: 'SIGKILL' });
    expect(isRunning(connection.pid!)).toBe(false);
  });

  it('may be opened only once, and rejects invalid options when created', async () => {
    const transport = spawnTcpTransport({ cliPath: cli, cwd: dir, env: fakeCliEnv({ FAKE_CLI_MODE: 'tcp' }) });
    opened.push(await transport.open());
    await expect(transport.open()).rejects.toBeInstanceOf(InvalidStateError);
    expect(() => spawnTcpTransport({ port: -1 })).toThrow('port must be an integer from 0 to 65535. Got -1');
    expect(() => spawnTcpTransport({ connectionToken: '' })).toThrow('connectionToken must be a non-empty string (its value is not shown)');
    expect(() => spawnTcpTransport({ host: '' })).toThrow('host must be a non-empty host name or address. Got ""');
  });
});

describe('spawnTcpTransport with the real Copilot CLI', () => {
  const REAL_CLI = path.resolve(__dirname, '../../../../node_modules/@github/copilot-linux-x64/copilot');
  // Shared with the e2e runs: the CLI extracts 235 MB there on its first launch.
  const SHARED_CACHE = path.resolve(__dirname, '../../../../.copilot-state/cache');

  it('starts it in tcp mode, reads its port, connects, and leaves no process after dispose()', async () => {
    const run = makeTempDir();
    const home = path.join(run, 'home');
    for (const sub of ['home', 'copilot-home', 'tmp', 'work']) mkdirSync(path.join(run, sub));
    const env = {
      PATH: process.env['PATH'] ?? '',
      LANG: 'C.UTF-8',
      HOME: home,
      XDG_CONFIG_HOME: home,
      XDG_STATE_HOME: home,
      XDG_DATA_HOME: home,
      GH_CONFIG_DIR: home,
      COPILOT_HOME: path.join(run, 'copilot-home'),
      TMPDIR: path.join(run, 'tmp'),
      XDG_CACHE_HOME: SHARED_CACHE,
      COPILOT_AUTO_UPDATE: 'false',
      NO_COLOR: '1',
    };
    const connection = await spawnTcpTransport({ cliPath: REAL_CLI, cwd: path.join(run, 'work'), env, logLevel: 'error' }).open();
    try {
      expect(connection.port).toBeGreaterThan(0);
      const socket = connection.readable as Socket;
      expect(socket.remotePort).toBe(connection.port);
      expect(isRunning(connection.pid!)).toBe(true);
    } finally {
      await connection.dispose();
      removeDir(run);
    }
    expect(isRunning(connection.pid!)).toBe(false);
    expect((await connection.closed).reason).toBe('the CLI was stopped');
  }, 20_000);
});

/** A port that is free right now: one the OS picked for a server that is closed again. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
