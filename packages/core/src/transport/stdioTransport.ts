/**
 * The default transport: spawn the CLI with `--stdio` and speak JSON-RPC over its stdin/stdout
 * (protocol.md §1.1). Readiness is the first `connect` answer, so `open()` resolves once the process runs.
 */
import { buildCliCommand, validateProcessOptions } from './cliLaunch.js';
import { CliProcess, describeProcess } from './CliProcess.js';
import { DEFAULT_SHUTDOWN_GRACE_MS } from './defaults.js';
import { openOnce } from './openOnce.js';
import { resolveCliPath } from './resolveCliPath.js';
import type { CliProcessOptions, Transport, TransportConnection } from './types.js';


/**
 * Spawns the Copilot CLI and connects to it over its stdin/stdout.
 *
 * `open()` rejects with CliNotFoundError when no CLI is found and CliStartupError when it cannot be
 * run; after that, a CLI that exits is reported by `closed` (exit code or signal) and `stderrTail()`.
 * `dispose()` ends stdin and escalates to SIGTERM and SIGKILL until the process is gone.
 *
 * @throws RangeError or TypeError, naming the option, for invalid options.
 */
export function stdioTransport(options: CliProcessOptions = {}): Transport {
  validateProcessOptions(options);
  return openOnce('stdio', async () => {
    const cliPath = resolveCliPath({ cliPath: options.cliPath, env: options.env, runtime: options.runtime });
    const cli = await CliProcess.spawn({
      cliPath,
      command: buildCliCommand(cliPath, options, { kind: 'stdio' }),
      cwd: options.cwd ?? process.cwd(),
      stdin: 'pipe',
      shutdownGraceMs: options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
      secrets: options.authToken === undefined ? [] : [options.authToken],
    });
    return stdioConnection(cli, cliPath);
  });
}

function stdioConnection(cli: CliProcess, cliPath: string): TransportConnection {
  const { stdin } = cli;
  if (!stdin) throw new Error('unreachable: a stdio CLI is spawned with a piped stdin');
  return {
    readable: cli.stdout,
    writable: stdin,
    closed: cli.exited,
    pid: cli.pid,
    description: `${describeProcess(cli, cliPath)} over stdio`,
    stderrTail: () => cli.stderrTail(),
    dispose: () => cli.stop(),
    kill: () => cli.kill(),
  };
}
