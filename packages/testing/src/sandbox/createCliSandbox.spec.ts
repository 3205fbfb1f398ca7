import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createCliSandbox } from './createCliSandbox';

describe('createCliSandbox', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'copilot-rx-sandbox-spec-'));
  });
  afterEach(() => {
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('gives the CLI its own home, config, state, data, temp and an empty work dir under a fresh run dir', async () => {
    const sandbox = await createCliSandbox({ stateDir });
    try {
      expect(path.dirname(sandbox.runDir)).toBe(path.join(stateDir, 'runs'));
      expect(sandbox.env).toEqual({
        HOME: sandbox.home,
        XDG_CONFIG_HOME: sandbox.home,
        XDG_STATE_HOME: sandbox.home,
        XDG_DATA_HOME: sandbox.home,
        GH_CONFIG_DIR: sandbox.home,
        COPILOT_HOME: sandbox.copilotHome,
        TMPDIR: path.join(sandbox.runDir, 'tmp'),
        XDG_CACHE_HOME: path.join(stateDir, 'cache'),
        COPILOT_AUTO_UPDATE: 'false',
        NO_COLOR: '1',
        LANG: 'C.UTF-8',
        PATH: process.env['PATH'],
      });
      for (const dir of [sandbox.home, sandbox.copilotHome, sandbox.env['TMPDIR']!, sandbox.cwd]) {
        expect(dir.startsWith(sandbox.runDir + path.sep)).toBe(true);
        expect(existsSync(dir)).toBe(true);
      }
      expect(readdirSync(sandbox.cwd)).toEqual([]);
      expect(sandbox.cacheDir).toBe(path.join(stateDir, 'cache'));
    } finally {
      await sandbox.dispose();
    }
  });

  it('lets no credential or config of the host process through', async () => {
    const saved = process.env['GH_TOKEN'];
    process.env['GH_TOKEN'] = 'host-token-that-must-not-leak';
    try {
      const sandbox = await createCliSandbox({ stateDir });
      expect(Object.values(sandbox.env)).not.toContain('host-token-that-must-not-leak');
      expect(sandbox.env['GH_TOKEN']).toBeUndefined();
      await sandbox.dispose();
    } finally {
      if (saved === undefined) delete process.env['GH_TOKEN'];
      else process.env['GH_TOKEN'] = saved;
    }
  });

  it('adds route A variables when given an endpoint', async () => {
    const endpoint = { capiEnv: () => ({ COPILOT_DEBUG_GITHUB_API_URL: 'http://127.0.0.1:1', COPILOT_API_URL: 'http://127.0.0.1:1' }) };
    const sandbox = await createCliSandbox({ stateDir, endpoint });
    expect(sandbox.env).toMatchObject(endpoint.capiEnv());
    await sandbox.dispose();
  });

  it('keeps runs apart but shares the cache, and dispose removes the run only, without ever throwing', async () => {
    const [a, b] = await Promise.all([createCliSandbox({ stateDir }), createCliSandbox({ stateDir })]);
    expect(a.runDir).not.toBe(b.runDir);
    expect(a.env['XDG_CACHE_HOME']).toBe(b.env['XDG_CACHE_HOME']);
    const extraction = path.join(a.cacheDir, 'copilot', 'pkg');
    await mkdir(extraction, { recursive: true });
    writeFileSync(path.join(a.copilotHome, 'config.json'), '{}');
    await a.dispose();
    expect(existsSync(a.runDir)).toBe(false);
    expect(existsSync(b.runDir)).toBe(true);
    expect(existsSync(extraction)).toBe(true);
    await expect(a.dispose()).resolves.toBeUndefined();
    rmSync(b.runDir, { recursive: true, force: true });
    await expect(b.dispose()).resolves.toBeUndefined();
  });

  it('uses the given cache dir and CLI path', async () => {
    const cacheDir = path.join(stateDir, 'elsewhere');
    const sandbox = await createCliSandbox({ stateDir, cacheDir, cliPath: '/opt/copilot' });
    expect(sandbox.env['XDG_CACHE_HOME']).toBe(cacheDir);
    expect(existsSync(cacheDir)).toBe(true);
    expect(sandbox.cliPath).toBe('/opt/copilot');
    await sandbox.dispose();
  });

  it('finds the installed native CLI binary by default', async () => {
    const sandbox = await createCliSandbox({ stateDir });
    expect(sandbox.cliPath).toMatch(new RegExp(`@github/copilot-${process.platform}(musl)?-${process.arch}/copilot$`));
    await sandbox.dispose();
  });
});
