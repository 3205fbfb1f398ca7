/**
 * One spawned CLI process and its lifecycle, shared by the stdio and spawned-tcp transports: start-up
 * errors as `CliStartupError`, a bounded stderr tail, one exit report, a stop that escalates
 * (stdin end, SIGTERM, SIGKILL) until nothing is left running, and a watchdog that ends the process
 * if this one dies without stopping it (parentWatchdog.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CliStartupError } from '../errors.js';
import type { CliCommand } from './cliLaunch.js';
import { OutputTail } from './OutputTail.js';
import { watchForParentDeath } from './parentWatchdog.js';
import { settlesWithin } from './settlesWithin.js';
import type { TransportCloseInfo } from './types.js';

/** How a CLI process is spawned. */
export interface CliSpawnConfig {
  /** The resolved CLI path, for messages (the command may be Node running a `.js` entry). */
  readonly cliPath: string;
  readonly command: CliCommand;
  readonly cwd: string;
  /** `pipe` for stdio transports; `ignore` for tcp, where the CLI must not read our stdin. */
  readonly stdin: 'pipe' | 'ignore';
  /** How long `stop()` waits for a polite exit before SIGKILL. */
  readonly shutdownGraceMs: number;
  /** Values masked in the stderr tail (tokens the CLI was given). */
  readonly secrets: readonly string[];
}

/** Once the process exited, how long to wait for its pipes to close, so the stderr tail is complete. */
const PIPE_DRAIN_MS = 200;
/** Of the grace period, the share given to the stdin end before SIGTERM (stdio only). */
const STDIN_END_SHARE = 0.5;

/**
 * A running CLI process. Create it with `CliProcess.spawn`, which resolves once the OS has started it.
 */
export class CliProcess {
  readonly #child: ChildProcess;
  readonly #config: CliSpawnConfig;
  readonly #stderr: OutputTail;
  readonly #exited: Promise<TransportCloseInfo>;
  #exitInfo: TransportCloseInfo | undefined;
  #stopReason: string | undefined;
  #stopping: Promise<void> | undefined;

  private constructor(child: ChildProcess, config: CliSpawnConfig, exited: Promise<TransportCloseInfo>, stderr: OutputTail) {
    this.#child = child;
    this.#config = config;
    this.#exited = exited;
    this.#stderr = stderr;
    void exited.then((info) => (this.#exitInfo = info));
  }

  /**
   * Spawns the CLI and resolves once it runs.
   *
   * @throws CliStartupError naming the path when the OS cannot start it (ENOENT, EACCES, a missing cwd).
   */
  static spawn(config: CliSpawnConfig): Promise<CliProcess> {
    const stderr = new OutputTail({ secrets: config.secrets });
    let child: ChildProcess;
    try {
      child = spawn(config.command.command, [...config.command.args], {
        cwd: config.cwd,
        env: config.command.env,
        stdio: [config.stdin, 'pipe', 'pipe'],
        windowsHide: true,
        // Windows can only run a .cmd shim (npm's global `copilot.cmd`) through its shell.
        shell: process.platform === 'win32' && /\.(cmd|bat)$/i.test(config.command.command),
      });
    } catch (error) {
      return Promise.reject(startupError(config, error));
    }
    // Pipe errors (EPIPE, ERR_STREAM_DESTROYED) happen only as the process goes away; they must not
    // crash the app, and the exit itself is reported through `exited`. Writers (vscode-jsonrpc) still
    // get the error through their write callbacks.
    for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.on('error', ignore);
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));

    return new Promise<CliProcess>((resolve, reject) => {
      let spawned = false;
      const exited = new Promise<TransportCloseInfo>((settleExit) => {
        let settled = false;
        const settle = (info: TransportCloseInfo) => {
          if (settled) return;
          settled = true;
          clearTimeout(drainTimer);
          // Whatever still holds the pipes (a grandchild) is not ours to wait for.
          for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.destroy();
          child.removeAllListeners('exit').removeAllListeners('close');
          settleExit(info);
        };
        let drainTimer: NodeJS.Timeout | undefined;
        child.once('exit', (code, signal) => {
          drainTimer = setTimeout(() => settle(process_.#closeInfo(code, signal)), PIPE_DRAIN_MS);
        });
        child.once('close', (code: number | null, signal: NodeJS.Signals | null) => settle(process_.#closeInfo(code, signal)));
        child.on('error', (error) => {
          // After a successful spawn, 'error' only reports a failed kill(); the exit still follows.
          if (spawned) return;
          settle({ reason: `the CLI could not be started (${errorCode(error)})`, exitCode: null, signal: null });
          reject(startupError(config, error));
        });
      });
      const process_ = new CliProcess(child, config, exited, stderr);
      child.once('spawn', () => {
        spawned = true;
        // Whatever way this process dies, the CLI must not outlive it (see parentWatchdog.ts).
        const watchdog = child.pid === undefined ? undefined : watchForParentDeath(child.pid, config.shutdownGraceMs);
        void exited.then(() => watchdog?.dismiss());
        resolve(process_);
      });
    });
  }

  /** The OS process id. */
  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** The CLI's stdout (the protocol, over stdio; the port banner, over tcp). */
  get stdout(): Readable {
    return this.#child.stdout as Readable;
  }

  /** The CLI's stdin; null when it was spawned with stdin ignored (tcp). */
  get stdin(): Writable | null {
    return this.#child.stdin;
  }

  /** Resolves once, with the exit code or signal, when the process has exited (its pipes drained). */
  get exited(): Promise<TransportCloseInfo> {
    return this.#exited;
  }

  /** The exit report, once the process has exited; undefined while it runs. */
  get exitInfo(): TransportCloseInfo | undefined {
    return this.#exitInfo;
  }

  /** The last lines of the CLI's stderr, tokens masked. */
  stderrTail(): string {
    return this.#stderr.text();
  }

  /**
   * Stops the process and resolves once it has exited: ends stdin (when piped), then SIGTERM, then
   * SIGKILL when the grace period is over. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  /** SIGKILL now; `exited` reports it. */
  kill(): void {
    if (this.#exitInfo) return;
    this.#stopReason ??= 'the CLI was killed';
    this.#child.kill('SIGKILL');
  }

  async #stop(): Promise<void> {
    if (this.#exitInfo) return;
    this.#stopReason ??= 'the CLI was stopped';
    let grace = this.#config.shutdownGraceMs;
    const stdin = this.#child.stdin;
    if (stdin) {
      // The CLI exits by itself when its stdin ends (stdio mode); give it part of the grace for that.
      stdin.end();
      const share = grace * STDIN_END_SHARE;
      if (await this.#exitsWithin(share)) return;
      grace -= share;
    }
    this.#child.kill('SIGTERM');
    if (await this.#exitsWithin(grace)) return;
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  async #exitsWithin(ms: number): Promise<boolean> {
    return (await settlesWithin(this.#exited, ms)) !== undefined;
  }

  #closeInfo(exitCode: number | null, signal: NodeJS.Signals | null): TransportCloseInfo {
    return { reason: this.#stopReason ?? 'the CLI exited', exitCode, signal };
  }
}

function startupError(config: CliSpawnConfig, error: unknown): CliStartupError {
  const code = errorCode(error);
  // A missing cwd surfaces as ENOENT of the command, which would blame the wrong path.
  const detail =
    code === 'ENOENT' && !existsSync(config.cwd)
      ? `the working directory ${config.cwd} does not exist`
      : `could not run ${config.cliPath}: ${code}${code === 'EACCES' ? ' (not executable)' : ''}`;
  return new CliStartupError(detail, null, null, '', { cause: error });
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : String((error as Error | undefined)?.message ?? error);
}

function ignore(): void {}

/** "copilot (pid 4242)": the CLI's file name and pid, for descriptions. */
export function describeProcess(cliProcess: CliProcess, cliPath: string): string {
  return `${path.basename(cliPath)} (pid ${cliProcess.pid})`;
}
