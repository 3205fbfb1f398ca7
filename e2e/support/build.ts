/**
 * Builds every package and the dashboard app (`tsc -b tsconfig.json apps/dashboard`), for the tests
 * that run built output in a fresh Node process.
 *
 * Jest runs test files in parallel workers, and two `tsc -b` writing the same dist files at once can
 * let a spawned process read a half-written file. The builds are serialised with flock(1): the first
 * builds, the others then find everything up to date.
 */
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const root = path.resolve(__dirname, '..', '..');
const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const lock = path.join(tmpdir(), 'copilot-rx-tsc-build.lock');

export function buildAll(): void {
  execFileSync('flock', [lock, process.execPath, tsc, '-b', 'tsconfig.json', 'apps/dashboard'], { cwd: root, stdio: 'pipe' });
}

/** Runs tsc on another project (`-p`), under the same lock. */
export function compileProject(project: string): void {
  execFileSync('flock', [lock, process.execPath, tsc, '-p', project], { cwd: root, stdio: 'pipe' });
}
