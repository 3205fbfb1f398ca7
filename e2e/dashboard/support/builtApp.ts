/**
 * The dashboard app as `npm start` runs it: built with `tsc -b apps/dashboard`, then spawned with
 * node in an environment without Copilot tokens (so it takes the offline default, as on a fresh clone).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { buildAll, root } from '../../support/build';

export { root };
export const mainScript = path.join(root, 'apps', 'dashboard', 'dist', 'main.js');

export const buildApp = buildAll;

/** The environment of a machine with no Copilot login or token. */
export function offlineEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['COPILOT_GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_TOKEN']) delete env[name];
  return env;
}

export interface RunningApp {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout or stderr (already written or still to come). */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

export function startApp(args: readonly string[]): RunningApp {
  const child = spawn(process.execPath, [mainScript, ...args], { cwd: root, env: offlineEnv() });
  const output = { stdout: '', stderr: '' };
  const waiters: { stream: 'stdout' | 'stderr'; pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      const match = output[waiter.stream].match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout.on('data', (chunk) => ((output.stdout += String(chunk)), check()));
  child.stderr.on('data', (chunk) => ((output.stderr += String(chunk)), check()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return {
    child,
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    waitFor: (stream, pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ stream, pattern, resolve });
        check();
        void exited.then((code) => reject(new Error(`The app exited (${code}) before printing ${pattern}.\nstdout: ${output.stdout}\nstderr: ${output.stderr}`)));
      }),
    exited,
  };
}

/** True while a process with this pid exists (a zombie counts: it was not reaped). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
