/**
 * A CLI that copilot-rx spawned must never outlive the process that spawned it, however that process
 * ends (SIGTERM with no handler, SIGKILL, an uncaught exception, `process.exit()` without `stop()`).
 *
 * Over stdio the CLI mostly sees to this itself: the OS closes its stdin when we die, and the real
 * CLI (1.0.102) exits about 60 ms after that EOF. But a TCP-mode CLI has no such pipe (measured: it
 * keeps running), and a hung CLI reads nothing. So every spawned CLI gets a watchdog: a POSIX shell
 * (about 1 MB, far lighter than a Node supervisor) whose stdin is a pipe that only this process holds
 * open. The kernel closes it when this process dies, by any means; the shell's `read` then returns and
 * it sends the CLI SIGTERM, then SIGKILL after the grace period. It ignores SIGINT/SIGTERM/SIGHUP, so
 * a signal to the whole process group cannot take it down before it has done its job.
 *
 * Hazard, pid reuse: the watchdog signals a pid. While this process lives it kills the watchdog the
 * moment the CLI's exit is reported, so it never acts on a pid the CLI no longer owns; the window left
 * is the instant between the CLI's exit and this process dying.
 *
 * Not on Windows (no POSIX shell): there, closing the stdio pipes is the only guarantee.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const WATCHDOG_SCRIPT = `trap '' INT TERM HUP; read _; kill -TERM "$1" 2>/dev/null || exit 0; sleep "$2"; kill -KILL "$1" 2>/dev/null; exit 0`;

/** A running watchdog; `dismiss()` once the CLI has exited. */
export interface ParentWatchdog {
  readonly pid: number | undefined;
  dismiss(): void;
}

/**
 * Starts a watchdog for the CLI `pid`, or returns undefined where none can run (Windows, no /bin/sh).
 * It holds no handle that keeps this process alive.
 */
export function watchForParentDeath(pid: number, graceMs: number): ParentWatchdog | undefined {
  if (process.platform === 'win32') return undefined;
  let watchdog: ChildProcess;
  try {
    watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'copilot-rx-watchdog', String(pid), (graceMs / 1000).toFixed(3)], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
  } catch {
    return undefined;
  }
  // A missing shell surfaces as an 'error' event; without a listener it would crash the app.
  watchdog.on('error', () => undefined);
  watchdog.stdin?.on('error', () => undefined);
  // Neither the process nor its pipe may keep the event loop alive: the CLI's own pipes do that.
  watchdog.unref();
  (watchdog.stdin as { unref?: () => void } | null)?.unref?.();
  return {
    pid: watchdog.pid,
    dismiss: () => {
      if (watchdog.exitCode === null && watchdog.signalCode === null) watchdog.kill('SIGKILL');
      watchdog.stdin?.destroy();
    },
  };
}
