/**
 * A `copilot-rx-host` as its own process, as on a real machine: spawned from the package's bin with
 * the fake agent (or the real CLI) as its CLI, ready when it says so (bounded), stopped or killed by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { buildAll } from '../support/build';

export const HOST_BIN = path.join(__dirname, '..', '..', 'packages', 'fleet', 'bin', 'copilot-rx-host.js');

export interface HostProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The event ids this host's own client saw, per session, in order (its --journal). */
  journal(): Map<string, string[]>;
  /** SIGTERM (a clean stop: drains, deletes its health record); resolves on exit, SIGKILL after a bound. */
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export interface HostProcessOptions {
  readonly url: string;
  readonly name: string;
  readonly cliPath: string;
  readonly journalDir: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Working directory of the host (and so of its CLIs). */
  readonly cwd?: string;
  readonly healthTtlMs?: number;
  /** `--remote-config`: the settings a remote create may choose (the host's default: none). */
  readonly remoteConfig?: string;
  readonly readyTimeoutMs?: number;
}

let built = false;

export async function spawnHost(options: HostProcessOptions): Promise<HostProcess> {
  // The bin runs the fleet's sources through tsx, but they import @copilot-rx/core by its package
  // name, which resolves to core's dist/: on a fresh clone nothing is built until some spec builds it.
  if (!built) {
    buildAll();
    built = true;
  }
  const journal = path.join(options.journalDir, `${options.name}.jsonl`);
  const args = [HOST_BIN, '--nats', options.url, '--host', options.name, '--cli-path', options.cliPath, '--journal', journal];
  if (options.healthTtlMs) args.push('--health-ttl', String(options.healthTtlMs));
  if (options.remoteConfig) args.push('--remote-config', options.remoteConfig);
  // Generous: on a loaded 2-core machine the agent's first start (compiling its sources) can be slow.
  args.push('--startup-timeout', '90000');
  const child = spawn(process.execPath, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timeoutMs = options.readyTimeoutMs ?? 120_000;
    const timer = setTimeout(() => reject(new Error(`host ${options.name} not ready within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes(`copilot-rx-host ${options.name} ready`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host ${options.name} exited (${code}) before ready: ${stderr}`));
    });
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(child.pid!, name);
    const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    name: options.name,
    pid: child.pid!,
    child,
    journal: () => {
      const bySession = new Map<string, string[]>();
      if (!existsSync(journal)) return bySession;
      // The host may be writing a line right now: the text after the last newline is not a line yet.
      for (const line of readFileSync(journal, 'utf8').split('\n').slice(0, -1)) {
        const { sessionId, id } = JSON.parse(line) as { sessionId: string; id: string };
        bySession.set(sessionId, [...(bySession.get(sessionId) ?? []), id]);
      }
      return bySession;
    },
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}
