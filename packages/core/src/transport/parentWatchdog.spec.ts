/**
 * A CLI that copilot-rx spawned never outlives its host: the host (a real Node process running core)
 * is killed with SIGTERM (no handler of its own, so Node's default) or SIGKILL, and the CLI's pid must
 * be gone within the watchdog's bound. The stand-in CLI is stubborn (it ignores SIGTERM and the end of
 * its stdin, as a hung CLI would), so only the watchdog's SIGKILL can end it: without the watchdog
 * these specs fail. The same with the real CLI is in e2e/faults.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fakeCliEnv, isRunning, readUntil } from './fixtures/fakeCliFixture';

const SCRIPTED_CLI = path.join(__dirname, '..', 'faults', 'fixtures', 'scriptedCli.js');
const HOST = path.join(__dirname, '..', 'testSupport', 'hostProcess.js');
const GRACE_MS = 300;
/** The grace period, plus generous room for a loaded machine to schedule the shell and deliver signals. */
const BOUND_MS = GRACE_MS + 4_000;

jest.setTimeout(30_000);

async function startHost(kind: 'stdio' | 'tcp', env: Record<string, string>) {
  const spec = { kind, cliPath: SCRIPTED_CLI, env: fakeCliEnv(env), shutdownGraceMs: GRACE_MS };
  const host = spawn(process.execPath, [HOST, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  host.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = await readUntil(host.stdout, '\n').catch((error: Error) => {
    throw new Error(`${error.message}; host stderr: ${stderr}`);
  });
  const cliPid = Number(/READY (\d+)/.exec(ready)?.[1]);
  expect(isRunning(cliPid)).toBe(true);
  const hostExited = new Promise<void>((resolve) => host.once('exit', () => resolve()));
  return { host, cliPid, hostExited };
}

async function goneWithin(pid: number, ms: number): Promise<number> {
  const started = Date.now();
  while (isRunning(pid)) {
    if (Date.now() - started > ms) return -1;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return Date.now() - started;
}

describe.each(['stdio', 'tcp'] as const)('a %s CLI whose host dies', (kind) => {
  it.each(['SIGTERM', 'SIGKILL'] as const)('is gone soon after the host gets %s, even when it ignores SIGTERM and EOF', async (signal) => {
    const { host, cliPid, hostExited } = await startHost(kind, { STUBBORN: '1' });
    host.kill(signal);
    await hostExited;
    const took = await goneWithin(cliPid, BOUND_MS);
    if (took < 0) process.kill(cliPid, 'SIGKILL');
    expect(took).toBeGreaterThanOrEqual(0);
  });
});
