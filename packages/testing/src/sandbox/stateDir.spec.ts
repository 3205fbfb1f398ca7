import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultStateDir } from './stateDir';

describe('defaultStateDir', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'copilot-rx-statedir-spec-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('takes COPILOT_RX_STATE_DIR first', () => {
    expect(defaultStateDir(root, { COPILOT_RX_STATE_DIR: '/var/state' })).toBe('/var/state');
  });

  it('else takes .copilot-state in the nearest ancestor with a package-lock.json', () => {
    const nested = path.join(root, 'repo', 'packages', 'testing');
    mkdirSync(nested, { recursive: true });
    writeFileSync(path.join(root, 'repo', 'package-lock.json'), '{}');
    expect(defaultStateDir(nested, {})).toBe(path.join(root, 'repo', '.copilot-state'));
  });

  it('else falls back to copilot-rx in the system temp dir', () => {
    // The temp dirs of CI machines have no package-lock.json above them.
    expect(defaultStateDir(root, {})).toBe(path.join(os.tmpdir(), 'copilot-rx'));
  });
});
