// Finds the JSON Schemas the pinned Copilot CLI ships. They are not in the npm package: the native
// binary extracts them on its first launch into `$XDG_CACHE_HOME/copilot/pkg/<platform>-<arch>/<version>/schemas/`.
// The generator uses the repository's shared cache (.copilot-state/cache, the one the end-to-end tests
// use), launching the CLI once (`copilot --version`) when the schemas are not there yet.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const SCHEMA_FILES = { events: 'session-events.schema.json', api: 'api.schema.json' };

/** The schemas folder of the installed CLI, extracting it into `<root>/.copilot-state/cache` when needed. */
export function locateSchemasDir(root) {
  const cache = path.join(root, '.copilot-state/cache');
  // The platform package's `exports` map hides its package.json from require.resolve: read it in place.
  const packageDir = path.join(root, 'node_modules/@github', `copilot-${process.platform}-${process.arch}`);
  const binary = path.join(packageDir, 'copilot');
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const dir = path.join(cache, 'copilot/pkg', `${process.platform}-${process.arch}`, version, 'schemas');
  const missing = () => Object.values(SCHEMA_FILES).filter((file) => !existsSync(path.join(dir, file)));
  if (missing().length > 0) {
    // The first launch extracts the CLI's package, schemas included, into the cache.
    execFileSync(binary, ['--version'], { env: { ...process.env, XDG_CACHE_HOME: cache }, stdio: 'ignore', timeout: 120_000 });
  }
  if (missing().length > 0) {
    const found = existsSync(dir) ? readdirSync(dir).join(', ') : '(no schemas folder)';
    throw new Error(`The CLI ${version} did not extract ${missing().join(' and ')} into ${dir}; found: ${found}`);
  }
  return dir;
}
