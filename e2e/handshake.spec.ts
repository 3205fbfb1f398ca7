/**
 * The handshake's failure modes against the real CLI: a wrong connection token and a CLI that exits
 * during start-up each give their own typed error with a message that says what to do.
 */
import { AuthenticationError, CliStartupError, CopilotRxClient, spawnTcpTransport, tcpTransport } from '@copilot-rx/core';
import { createCliSandbox } from '@copilot-rx/testing';

jest.setTimeout(60_000);

describe('handshake against the real CLI', () => {
  it('reports a wrong connection token as an AuthenticationError', async () => {
    const sandbox = await createCliSandbox();
    const server = new CopilotRxClient({
      transport: spawnTcpTransport({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, connectionToken: 'the-right-token' }),
    });
    try {
      await server.start();
      const port = listeningPort(server);
      const intruder = new CopilotRxClient({ transport: tcpTransport({ port, connectionToken: 'a-wrong-token' }) });
      const error = await intruder.start().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as Error).message).toMatch(/AUTHENTICATION_FAILED/);
      expect((error as Error).message).not.toContain('the-right-token');
      await intruder.stop();
    } finally {
      await server.stop();
      await sandbox.dispose();
    }
  });

  it('reports a CLI that exits during start-up with its exit code and stderr', async () => {
    const sandbox = await createCliSandbox();
    try {
      const client = new CopilotRxClient({
        cliPath: sandbox.cliPath,
        cwd: sandbox.cwd,
        env: sandbox.env,
        cliArgs: ['--no-such-flag-for-copilot-rx'],
      });
      const error = await client.start().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CliStartupError);
      expect((error as CliStartupError).exitCode).not.toBe(0);
      expect((error as Error).message).toMatch(/no-such-flag-for-copilot-rx/);
      await client.stop();
    } finally {
      await sandbox.dispose();
    }
  });
});

describe('stop() against the real CLI', () => {
  it('shuts the CLI down and leaves no process behind', async () => {
    const sandbox = await createCliSandbox();
    try {
      const client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env });
      await client.start();
      const pid = client.pid!;
      expect(isRunning(pid)).toBe(true);
      await client.stop();
      expect(client.state.status).toBe('stopped');
      expect(isRunning(pid)).toBe(false);
    } finally {
      await sandbox.dispose();
    }
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // ESRCH: no such process (reaped, not a zombie: the transport waited for its exit).
  }
}

function listeningPort(client: CopilotRxClient): number {
  const port = client.port;
  if (port === undefined) throw new Error('the spawned TCP server did not report its port');
  return port;
}
