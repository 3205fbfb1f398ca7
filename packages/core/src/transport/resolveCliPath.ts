/**
 * Finds the agent to launch (DESIGN.md "Real components"): an explicit path, `COPILOT_CLI_PATH`, then
 * the chosen runtime's installed platform package (`runtime`, see agentRuntime.ts), then, for the CLI
 * only, `copilot` on PATH. The CLI's native binary is preferred over `@github/copilot`'s npm-loader
 * shim, which would add a Node process in between.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { CliNotFoundError } from '../errors.js';
import { DEFAULT_AGENT_RUNTIME, RUNTIME_INSTALL_HINT, findSdkRuntime, platformSuffixes, validateRuntime, type AgentRuntime } from './agentRuntime.js';
import moduleDir from './moduleDir.cjs';

/** Where `resolveCliPath` looks. */
export interface ResolveCliPathOptions {
  /** An explicit path (or a bare command name, looked up on PATH). Must exist when given. */
  readonly cliPath?: string;
  /** Where `COPILOT_CLI_PATH` and `PATH` are read. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Directories the platform package is resolved from (Node's module resolution, walking up).
   * Default: `process.cwd()` and the location of @copilot-rx/core itself.
   */
  readonly searchFrom?: readonly string[];
  /**
   * Which installed agent to look for when no path is given: `'cli'` (`@github/copilot`) or
   * `'sdk-runtime'` (the official SDK's bundled runtime). An explicit path always wins. Default `'cli'`.
   */
  readonly runtime?: AgentRuntime;
}

/**
 * Returns the absolute path of the Copilot CLI to launch.
 *
 * @throws CliNotFoundError listing every place looked at, in order, when none holds a CLI (or when
 *   an explicit `cliPath`/`COPILOT_CLI_PATH` points at nothing: an explicit choice is never skipped).
 */
export function resolveCliPath(options: ResolveCliPathOptions = {}): string {
  const env = options.env ?? process.env;
  const runtime = options.runtime ?? DEFAULT_AGENT_RUNTIME;
  validateRuntime(runtime);
  const tried: string[] = [];

  if (options.cliPath !== undefined) return explicitPath(options.cliPath, 'cliPath option', env);
  tried.push('cliPath option (not given)');

  const fromEnv = env['COPILOT_CLI_PATH'];
  if (fromEnv) return explicitPath(fromEnv, 'COPILOT_CLI_PATH', env);
  tried.push('COPILOT_CLI_PATH (not set)');

  const searchFrom = options.searchFrom ?? [process.cwd(), moduleDir];
  if (runtime === 'sdk-runtime') {
    const found = findSdkRuntime(searchFrom, tried);
    if (found) return found;
    // No PATH fallback: the runtime has no conventional command name, and a `copilot` found there
    // would be the other agent, silently.
    throw new CliNotFoundError(tried, RUNTIME_INSTALL_HINT[runtime]);
  }
  for (const name of platformPackageNames()) {
    for (const dir of searchFrom) {
      const found = resolvePackageEntry(name, dir);
      if (found) return found;
      tried.push(`${name} resolved from ${dir} (not installed)`);
    }
  }

  const onPath = searchPath('copilot', env, tried);
  if (onPath) return onPath;
  throw new CliNotFoundError(tried);
}

/** `@github/copilot-<platform>-<arch>`; on Linux the musl build too, as the official SDK does. */
function platformPackageNames(): string[] {
  return platformSuffixes().map((suffix) => `@github/copilot-${suffix}`);
}

/** The platform package's main export is its native binary (`"exports": { ".": "./copilot" }`). */
function resolvePackageEntry(name: string, fromDir: string): string | undefined {
  // createRequire gives Node's own resolver (not a test runner's), rooted at `fromDir`.
  const requireFrom = createRequire(path.join(path.resolve(fromDir), 'noop.js'));
  let entry: string;
  try {
    entry = requireFrom.resolve(name);
  } catch {
    return undefined; // not installed here: recorded in `tried` by the caller
  }
  return isFile(entry) ? entry : undefined;
}

function explicitPath(given: string, source: string, env: NodeJS.ProcessEnv): string {
  const isBareName = !given.includes('/') && !(process.platform === 'win32' && given.includes('\\'));
  if (isBareName) {
    const tried: string[] = [];
    const onPath = searchPath(given, env, tried);
    if (onPath) return onPath;
    throw new CliNotFoundError([`${source}: "${given}" is not on PATH`, ...tried]);
  }
  const absolute = path.resolve(given);
  if (isFile(absolute)) return absolute;
  throw new CliNotFoundError([`${source}: ${absolute} (${describeMissing(absolute)})`]);
}

/** Looks for an executable `name` in every PATH directory, as a shell would; records each candidate. */
function searchPath(name: string, env: NodeJS.ProcessEnv, tried: string[]): string | undefined {
  const dirs = (env['PATH'] ?? env['Path'] ?? '').split(path.delimiter).filter((dir) => dir !== '');
  if (dirs.length === 0) {
    tried.push(`${name} on PATH (PATH is empty)`);
    return undefined;
  }
  const names = process.platform === 'win32' ? [`${name}.exe`, `${name}.cmd`] : [name];
  for (const dir of dirs) {
    for (const candidate of names) {
      const full = path.resolve(dir, candidate);
      if (isExecutable(full)) return full;
      tried.push(`${full} (on PATH)`);
    }
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isExecutable(file: string): boolean {
  if (!isFile(file)) return false;
  if (process.platform === 'win32') return true; // Windows has no execute bit; the extension decides
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function describeMissing(file: string): string {
  try {
    return statSync(file).isDirectory() ? 'a directory, not a file' : 'not a regular file';
  } catch {
    return 'does not exist';
  }
}
