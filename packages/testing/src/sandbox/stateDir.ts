import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where CLI runs keep their state: `COPILOT_RX_STATE_DIR` when set; else `.copilot-state/` in the
 * nearest ancestor of `cwd` holding a `package-lock.json` (the repository root, whose .gitignore lists
 * it); else `<os tmpdir>/copilot-rx`.
 */
export function defaultStateDir(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['COPILOT_RX_STATE_DIR'];
  if (fromEnv) return path.resolve(fromEnv);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package-lock.json'))) return path.join(dir, '.copilot-state');
    if (path.dirname(dir) === dir) return path.join(os.tmpdir(), 'copilot-rx');
  }
}
