import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The Copilot CLI binary is not installed where it was looked for. */
export class CliNotFoundError extends Error {
  override readonly name = 'CliNotFoundError';
}

/**
 * The native Copilot CLI binary of the installed `@github/copilot-<platform>-<arch>` package (the one
 * `@github/copilot` pulls in as an optional dependency). It is launched directly: the npm shim would
 * add a Node process in between. Looked up from each directory of `searchFrom` in turn; by default the
 * current directory (the app's install), then this module's.
 *
 * @throws CliNotFoundError naming the package and where it looked.
 */
export function resolveCliPath(searchFrom: readonly string[] = [process.cwd(), __dirname]): string {
  const binary = process.platform === 'win32' ? 'copilot.exe' : 'copilot';
  // The SDK also tries linuxmusl on Linux, for Alpine's musl builds.
  const platforms = process.platform === 'linux' ? ['linux', 'linuxmusl'] : [process.platform];
  const packages = platforms.map((platform) => `@github/copilot-${platform}-${process.arch}`);
  // createRequire wants a file; the file need not exist, resolution starts from its directory.
  const bases = searchFrom.map((dir) => path.join(path.resolve(dir), 'noop.js'));
  const unusable: string[] = [];
  for (const base of bases) {
    const require = createRequire(base);
    for (const name of packages) {
      let entry: string;
      try {
        // The package exports only its binary (not even package.json), so resolve the package itself.
        entry = require.resolve(name);
      } catch {
        continue; // Not installed from this base; the next base or package may have it.
      }
      const candidate = path.join(path.dirname(entry), binary);
      if (isExecutable(candidate)) return candidate;
      unusable.push(candidate);
    }
  }
  const found = unusable.length > 0 ? ` Found but missing or not executable: ${[...new Set(unusable)].join(', ')}.` : '';
  throw new CliNotFoundError(
    `the Copilot CLI binary is not installed: looked for ${packages.map((name) => `${name}/${binary}`).join(' or ')} from ${searchFrom.map((dir) => path.resolve(dir)).join(', ')}.${found} ` +
      'Install it with `npm install @github/copilot` (its optional dependency for this platform carries the binary).',
  );
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false; // Missing or not executable: not a usable CLI.
  }
}
