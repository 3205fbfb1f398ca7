/**
 * Writes the markers that tell Node the module format of each package's two builds:
 * `dist/esm/package.json` ({"type":"module"}) and `dist/cjs/package.json` ({"type":"commonjs"}).
 * tsc writes no package.json files, and build output stays out of git, so every build runs this
 * after `tsc -b` (the npm scripts, and e2e/support/build.ts for the tests).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packages = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'packages');
const FORMATS = { esm: 'module', cjs: 'commonjs' };

for (const name of readdirSync(packages)) {
  // Only the dual-build packages have an ESM tsconfig beside their CommonJS one.
  if (!existsSync(path.join(packages, name, 'tsconfig.esm.json'))) continue;
  for (const [folder, type] of Object.entries(FORMATS)) {
    const dir = path.join(packages, name, 'dist', folder);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ type })}\n`);
  }
}
