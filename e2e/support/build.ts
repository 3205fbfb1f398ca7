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
  lockedTsc(['-b', 'tsconfig.json', 'apps/dashboard']);
  // The module-format markers of dist/esm and dist/cjs, as `npm run build` writes them.
  execFileSync(process.execPath, [path.join(root, 'scripts', 'write-dist-markers.mjs')], { cwd: root, stdio: 'pipe' });
}

/** Runs tsc on another project (`-p`), under the same lock. */
export function compileProject(project: string): void {
  lockedTsc(['-p', project]);
}

function lockedTsc(args: readonly string[]): void {
  try {
    execFileSync('flock', [lock, process.execPath, tsc, ...args], { cwd: root, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    // tsc reports type errors on stdout: without them the failure says only "Command failed".
    const failed = error as { stdout?: string; stderr?: string };
    const output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`.trim().slice(0, 4000);
    throw new Error(`tsc ${args.join(' ')} failed in ${root}:\n${output}`);
  }
}
