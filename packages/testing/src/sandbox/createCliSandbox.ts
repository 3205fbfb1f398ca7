import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ScriptedModelEndpoint } from '../modelEndpoint/startScriptedModelEndpoint.js';
import { resolveCliPath } from '@copilot-rx/core';
import { defaultStateDir } from './stateDir.js';

/** Options of `createCliSandbox`. */
export interface CliSandboxOptions {
  /** Where runs and the shared cache live. Default: `defaultStateDir()`. */
  readonly stateDir?: string;
  /** The shared extraction cache (`XDG_CACHE_HOME`). Default `<stateDir>/cache`. */
  readonly cacheDir?: string;
  /** With an endpoint, the env also carries route A's variables (`endpoint.capiEnv()`). */
  readonly endpoint?: Pick<ScriptedModelEndpoint, 'capiEnv'>;
  /** The CLI binary. Default: core's `resolveCliPath()` (`COPILOT_CLI_PATH`, the installed platform package, PATH). */
  readonly cliPath?: string;
}

/** An isolated place to run the real Copilot CLI: its own HOME, config, state, temp and work dirs. */
export interface CliSandbox {
  /** The native CLI binary to spawn. */
  readonly cliPath: string;
  /** An empty work directory to spawn the CLI in. */
  readonly cwd: string;
  /**
   * The CLI's whole environment (not merged with `process.env`, so no token or config of the host
   * leaks in): per-run HOME, XDG_CONFIG/STATE/DATA_HOME, GH_CONFIG_DIR, COPILOT_HOME and TMPDIR, the
   * shared XDG_CACHE_HOME, COPILOT_AUTO_UPDATE=false, NO_COLOR=1, LANG=C.UTF-8 and PATH.
   */
  readonly env: Readonly<Record<string, string>>;
  /** HOME, which also serves as the XDG config, state and data home. */
  readonly home: string;
  /** COPILOT_HOME: the CLI's config, session store and `logs/` (the place to look when debugging). */
  readonly copilotHome: string;
  /** The run's own directory, which `dispose()` removes. */
  readonly runDir: string;
  /** XDG_CACHE_HOME, shared by runs: it holds the CLI's 235 MB extraction, made once. */
  readonly cacheDir: string;
  /** Removes the run's directory (never the shared cache). Never throws; a failure becomes a process warning. */
  dispose(): Promise<void>;
}

/**
 * Makes a fresh, isolated run directory for the real Copilot CLI, as real-cli.md §2 prescribes, and
 * finds the CLI binary. Runs do not see each other's or the host's configuration, sessions or logs,
 * but share the extraction cache, so only the very first launch pays the 1.4 s extraction.
 *
 * ## Example
 * ```ts
 * const sandbox = await createCliSandbox();
 * const client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env });
 * // ...
 * await sandbox.dispose();
 * ```
 *
 * @throws CliNotFoundError when the binary is not installed (before any directory is made).
 */
export async function createCliSandbox(options: CliSandboxOptions = {}): Promise<CliSandbox> {
  // Core's resolution: COPILOT_CLI_PATH, the installed platform package, then `copilot` on PATH.
  const cliPath = options.cliPath ?? resolveCliPath();
  const stateDir = path.resolve(options.stateDir ?? defaultStateDir());
  const cacheDir = path.resolve(options.cacheDir ?? path.join(stateDir, 'cache'));
  await mkdir(path.join(stateDir, 'runs'), { recursive: true });
  await mkdir(cacheDir, { recursive: true });
  const runDir = await mkdtemp(path.join(stateDir, 'runs', 'run-'));
  const home = path.join(runDir, 'home');
  const copilotHome = path.join(runDir, 'copilot-home');
  const tmp = path.join(runDir, 'tmp');
  const cwd = path.join(runDir, 'work');
  await Promise.all([home, copilotHome, tmp, cwd].map((dir) => mkdir(dir)));

  const env: Record<string, string> = {
    HOME: home,
    XDG_CONFIG_HOME: home,
    XDG_STATE_HOME: home,
    XDG_DATA_HOME: home,
    GH_CONFIG_DIR: home,
    COPILOT_HOME: copilotHome,
    // The CLI writes its node compile cache under TMPDIR; a per-run TMPDIR keeps runs apart.
    TMPDIR: tmp,
    XDG_CACHE_HOME: cacheDir,
    COPILOT_AUTO_UPDATE: 'false',
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    ...options.endpoint?.capiEnv(),
  };

  let disposed: Promise<void> | undefined;
  return {
    cliPath,
    cwd,
    env,
    home,
    copilotHome,
    runDir,
    cacheDir,
    dispose: () =>
      (disposed ??= rm(runDir, { recursive: true, force: true, maxRetries: 3 }).catch((error: unknown) => {
        process.emitWarning(`could not remove the CLI sandbox ${runDir}: ${error instanceof Error ? error.message : String(error)}`);
      })),
  };
}
