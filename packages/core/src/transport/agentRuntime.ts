/**
 * Which agent process copilot-rx launches when no path is given. Two ship on npm and speak the same
 * protocol (version 3) over the same `--headless --stdio` arguments:
 * - `'cli'`: the Copilot CLI's native binary, from `@github/copilot`'s platform package
 *   (`@github/copilot-<platform>-<arch>`): the newest agent, the one the codecs were generated from.
 * - `'sdk-runtime'`: the official SDK's bundled runtime, from `@github/copilot-sdk`'s platform package
 *   (`@github/copilot-sdk-<platform>-<arch>`, `prebuilds/<platform>-<arch>/copilot-runtime`): an older
 *   agent version, but measured (bench/RESULTS.md, "Concurrency") to serve many concurrent sessions
 *   one to two orders of magnitude faster than the CLI binary, and to start in a fraction of the time.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

export type AgentRuntime = 'cli' | 'sdk-runtime';

export const AGENT_RUNTIMES: readonly AgentRuntime[] = ['cli', 'sdk-runtime'];

/** The default agent: the CLI binary (see the package README, "Choosing the agent process"). */
export const DEFAULT_AGENT_RUNTIME: AgentRuntime = 'cli';

/** What a user installs to get each runtime, for CliNotFoundError's advice. */
export const RUNTIME_INSTALL_HINT: Readonly<Record<AgentRuntime, string>> = {
  cli: '`npm install @github/copilot`',
  'sdk-runtime': '`npm install @github/copilot-sdk` (its platform package carries the runtime)',
};

/** @throws RangeError naming the accepted values, for anything else. */
export function validateRuntime(runtime: unknown): asserts runtime is AgentRuntime {
  if (!AGENT_RUNTIMES.includes(runtime as AgentRuntime)) {
    const accepted = AGENT_RUNTIMES.map((r) => `'${r}'`).join(', ');
    throw new RangeError(`runtime must be one of ${accepted}. Got ${typeof runtime === 'string' ? JSON.stringify(runtime) : String(runtime)}`);
  }
}

/** The platform suffixes npm packages of both runtimes use; on Linux the musl build too. */
export function platformSuffixes(): string[] {
  const suffixes = [`${process.platform}-${process.arch}`];
  if (process.platform === 'linux') suffixes.push(`linuxmusl-${process.arch}`);
  return suffixes;
}

/**
 * Finds the SDK's bundled runtime executable below each of `searchFrom` (Node's resolution, walking
 * up), recording every place looked at in `tried`.
 */
export function findSdkRuntime(searchFrom: readonly string[], tried: string[]): string | undefined {
  const executable = process.platform === 'win32' ? 'copilot-runtime.exe' : 'copilot-runtime';
  for (const suffix of platformSuffixes()) {
    const name = `@github/copilot-sdk-${suffix}`;
    for (const dir of searchFrom) {
      const root = packageRoot(name, dir);
      if (root === undefined) {
        tried.push(`${name} resolved from ${dir} (not installed)`);
        continue;
      }
      const runtime = path.join(root, 'prebuilds', suffix, executable);
      if (existsSync(runtime)) return runtime;
      tried.push(`${runtime} (missing from the installed package)`);
    }
  }
  return undefined;
}

/**
 * The package's directory, found the way Node's resolver walks `node_modules` folders. Not via
 * `require.resolve(name)`: the runtime package has no main entry, and an exports map could hide its
 * package.json.
 */
function packageRoot(name: string, fromDir: string): string | undefined {
  const requireFrom = createRequire(path.join(path.resolve(fromDir), 'noop.js'));
  const bases = requireFrom.resolve.paths(name) ?? [];
  return bases.map((base) => path.join(base, name)).find((candidate) => existsSync(path.join(candidate, 'package.json')));
}
