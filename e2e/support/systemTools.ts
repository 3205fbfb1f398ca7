/**
 * System tools some suites need that npm cannot install (Debian's chromium, later nats-server): found
 * on the machine, or the suite says what is missing and how to install it. On a developer's machine
 * the suite is skipped with that message; under `CI=true` the suite fails with it, so a CI that lost
 * an install step can never pass by skipping (`.ci/run` installs them).
 *
 * ## Example
 * ```ts
 * const chromium = requireSystemTool('chromium', { install: 'apt-get install chromium', paths: ['/usr/bin/chromium'] });
 * chromium.describe('the dashboard page', () => { ... });
 * ```
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export interface SystemToolConfig {
  /** The command that installs it on Debian, quoted in the message (e.g. `apt-get install chromium`). */
  readonly install: string;
  /** Absolute paths to try before the `PATH` search, for tools a spec launches by path. Default none. */
  readonly paths?: readonly string[];
  /** Where `PATH` and `CI` are read. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface SystemTool {
  readonly name: string;
  /** The executable found, or undefined. */
  readonly path: string | undefined;
  /** `describe` when the tool is there; `describe.skip` when it is not (never under CI: that throws). */
  readonly describe: jest.Describe;
}

/** A system tool a suite needs is missing where it must not be (under `CI=true`). */
export class MissingSystemToolError extends Error {
  override readonly name = 'MissingSystemToolError';
}

/** The first executable among `paths`, then `name` on `PATH`; undefined when there is none. */
export function findSystemTool(name: string, paths: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): string | undefined {
  const onPath = (env['PATH'] ?? '').split(path.delimiter).filter((dir) => dir !== '').map((dir) => path.join(dir, name));
  return [...paths, ...onPath].find(isExecutable);
}

/**
 * Finds a system tool for a suite.
 * @throws MissingSystemToolError under `CI=true` when the tool is missing, naming it and its install command.
 */
export function requireSystemTool(name: string, config: SystemToolConfig): SystemTool {
  const env = config.env ?? process.env;
  const found = findSystemTool(name, config.paths, env);
  if (found !== undefined) return { name, path: found, describe };
  const looked = [...(config.paths ?? []), `${name} on PATH`].join(', ');
  const message = `${name} is missing (looked for ${looked}); install it with \`${config.install}\``;
  if (env['CI'] === 'true') throw new MissingSystemToolError(`${message}. Under CI=true a missing system tool fails the suite instead of skipping it.`);
  console.warn(`Skipping the suites that need ${name}: ${message}.`);
  return { name, path: undefined, describe: describe.skip };
}

function isExecutable(file: string): boolean {
  try {
    // X_OK alone would accept a directory (searchable) of the tool's name.
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    // Not there or not executable: the next candidate decides.
    return false;
  }
}
