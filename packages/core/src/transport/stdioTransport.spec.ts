import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CliNotFoundError, CliStartupError, InvalidStateError } from '../errors';
import { FAKE_CLI_JS, fakeCliEnv, installFakeCli, isRunning, makeTempDir, readLaunchReport, readUntil, removeDir } from './fixtures/fakeCliFixture';
import { stdioTransport } from './stdioTransport';
import type { TransportConnection } from './types';

describe('stdioTransport', () => {
  let dir: string;
  let cli: string;
  const opened: TransportConnection[] = [];
  beforeEach(() => {
    dir = makeTempDir();
    cli = installFakeCli(dir);
  });
  afterEach(async () => {
    // A failing test must not leave a fake CLI behind.
    for (const connection of opened.splice(0)) await connection.dispose();
    removeDir(dir);
  });

  async function open(mode: string, extra: Record<string, string> = {}, options: Parameters<typeof stdioTransport>[0] = {}) {
    const connection = await stdioTransport({ cliPath: cli, cwd: dir, env: fakeCliEnv({ FAKE_CLI_MODE: mode, ...extra }), ...options }).open();
    opened.push(connection);
    return connection;
  }

  it('carries bytes both ways over the CLI stdin and stdout', async () => {
    const connection = await open('echo');
    const echoed = readUntil(connection.readable, 'world');
    connection.writable.write('hello ');
    connection.writable.write(Buffer.from('world'));
    expect(await echoed).toBe('hello world');
    expect(connection.description).toBe(`copilot (pid ${connection.pid}) over stdio`);
    expect(connection.connectionToken).toBeUndefined();
  });

  it('launches the CLI with the protocol argv and the token in the environment only', async () => {
    const report = path.join(dir, 'launch.json');
    const connection = await open(
      'echo',
      { FAKE_CLI_REPORT: report, NODE_DEBUG: 'net' },
      { args: ['--model', 'm1'], logLevel: 'error', authToken: 'gho_secret_value' },
    );
    connection.writable.write('x');
    await readUntil(connection.readable, 'x'); // the report is written before the echo starts
    const launch = readLaunchReport(report);
    expect(launch.argv).toEqual([
      '--model',
      'm1',
      '--headless',
      '--no-auto-update',
      '--log-level',
      'error',
      '--stdio',
      '--auth-token-env',
      'COPILOT_SDK_AUTH_TOKEN',
      '--no-auto-login',
    ]);
    expect(launch.env['COPILOT_SDK_AUTH_TOKEN']).toBe('gho_secret_value');
    expect(launch.env['NODE_DEBUG']).toBeUndefined();
    expect(launch.env['FAKE_CLI_MODE']).toBe('echo');
    expect(connection.description).not.toContain('gho_secret_value');
  });

  it('runs a .js cliPath with this Node', async () => {
    const connection = await open('echo', {}, { cliPath: FAKE_CLI_JS });
    const echoed = readUntil(connection.readable, 'ping');
    connection.writable.write('ping');
    expect(await echoed).toBe('ping');
    expect(connection.description).toBe(`fakeCli.js (pid ${connection.pid}) over stdio`);
  });

  it('reports an exit with its code and the last stderr lines, tokens masked', async () => {
    const connection = await open('crash', { FAKE_CLI_EXIT_CODE: '3' }, { authToken: 'gho_secret_value' });
    expect(await connection.closed).toEqual({ reason: 'the CLI exited', exitCode: 3, signal: null });
    const tail = connection.stderrTail();
    expect(tail).toContain('fatal: unknown option, token was ***');
    expect(tail).not.toContain('gho_secret_value');
    expect(tail).toContain('stderr line 60');
    expect(tail).not.toContain('stderr line 20\n'); // bounded to the last 40 lines
    expect(tail.trim().split('\n')).toHaveLength(40);
  });

  it('turns a CLI the OS cannot run into a CliStartupError naming the path', async () => {
    const noInterpreter = path.join(dir, 'broken-copilot');
    writeFileSync(noInterpreter, '#!/nonexistent/interpreter\n', { mode: 0o755 });
    const enoent = await stdioTransport({ cliPath: noInterpreter, env: {} }).open().catch((e: unknown) => e);
    expect(enoent).toBeInstanceOf(CliStartupError);
    expect((enoent as Error).message).toContain(`could not run ${noInterpreter}: ENOENT`);

    const notExecutable = path.join(dir, 'plain-file');
    writeFileSync(notExecutable, 'not a program\n', { mode: 0o644 });
    const eacces = await stdioTransport({ cliPath: notExecutable, env: {} }).open().catch((e: unknown) => e);
    expect(eacces).toBeInstanceOf(CliStartupError);
    expect((eacces as Error).message).toContain(`could not run ${notExecutable}: EACCES (not executable)`);
  });

  it('blames a missing working directory rather than the CLI', async () => {
    const cwd = path.join(dir, 'no-such-dir');
    const error = await stdioTransport({ cliPath: cli, cwd, env: {} }).open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliStartupError);
    expect((error as Error).message).toContain(`the working directory ${cwd} does not exist`);
  });

  it('rejects open() with CliNotFoundError when the CLI path does not exist', async () => {
    const missing = path.join(dir, 'missing');
    await expect(stdioTransport({ cliPath: missing }).open()).rejects.toBeInstanceOf(CliNotFoundError);
  });

  it('dispose() ends stdin and resolves once the CLI has exited', async () => {
    const connection = await open('echo');
    const pid = connection.pid!;
    expect(isRunning(pid)).toBe(true);
    await connection.dispose();
    expect(isRunning(pid)).toBe(false);
    expect(await connection.closed).toEqual({ reason: 'the CLI was stopped', exitCode: 0, signal: null });
  });

  it('dispose() escalates to SIGKILL for a CLI that ignores stdin end and SIGTERM', async () => {
    const connection = await open('stubborn', {}, { shutdownGraceMs: 300 });
    await readUntil(connection.readable, 'ready'); // its SIGTERM handler is installed
    await connection.dispose();
    expect(isRunning(connection.pid!)).toBe(false);
    expect(await connection.closed).toEqual({ reason: 'the CLI was stopped', exitCode: null, signal: 'SIGKILL' });
  });

  it('kill() stops the CLI at once with SIGKILL', async () => {
    const connection = await open('echo');
    connection.kill();
    expect(await connection.closed).toEqual({ reason: 'the CLI was killed', exitCode: null, signal: 'SIGKILL' });
    expect(isRunning(connection.pid!)).toBe(false);
  });

  it('survives writes to a CLI that closed its stdin (EPIPE)', async () => {
    const connection = await open('close-stdin', {}, { shutdownGraceMs: 300 });
    await readUntil(connection.readable, 'ready');
    const writeError = await new Promise<NodeJS.ErrnoException | null | undefined>((resolve) => {
      connection.writable.write(Buffer.alloc(256 * 1024), resolve);
    });
    expect(writeError?.code).toBe('EPIPE');
    expect(isRunning(connection.pid!)).toBe(true);
  });

  it('may be opened only once', async () => {
    const transport = stdioTransport({ cliPath: cli, cwd: dir, env: fakeCliEnv({ FAKE_CLI_MODE: 'echo' }) });
    opened.push(await transport.open());
    await expect(transport.open()).rejects.toBeInstanceOf(InvalidStateError);
  });

  it('rejects invalid options when created', () => {
    expect(() => stdioTransport({ shutdownGraceMs: 0 })).toThrow('shutdownGraceMs must be a positive number of milliseconds. Got 0');
    expect(() => stdioTransport({ cwd: '' })).toThrow('cwd must be a non-empty string. Got ""');
  });
});
