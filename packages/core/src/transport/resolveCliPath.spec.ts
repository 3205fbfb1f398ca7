import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CliNotFoundError } from '../errors';
import { makeTempDir, removeDir } from './fixtures/fakeCliFixture';
import { resolveCliPath } from './resolveCliPath';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const PLATFORM = `${process.platform}-${process.arch}`;
const PLATFORM_PACKAGE = `@github/copilot-${PLATFORM}`;
const SDK_RUNTIME_PACKAGE = `@github/copilot-sdk-${PLATFORM}`;

describe('resolveCliPath', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  /** An executable (or not) file at `<dir>/<relative>`. */
  function file(relative: string, mode = 0o755): string {
    const full = path.join(dir, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, '#!/bin/sh\n', { mode });
    return full;
  }

  /** A fake platform package under `<dir>/<root>/node_modules`, whose main export is its binary. */
  function platformPackage(root: string, name: string): string {
    const pkgDir = path.join(dir, root, 'node_modules', name);
    mkdirSync(pkgDir, { recursive: true });
    writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify({ name, exports: { '.': './copilot' } }));
    return file(path.join(root, 'node_modules', name, 'copilot'));
  }

  function notFound(run: () => unknown): CliNotFoundError {
    try {
      run();
    } catch (error) {
      if (error instanceof CliNotFoundError) return error;
      throw error;
    }
    throw new Error('expected a CliNotFoundError');
  }

  it('takes an explicit cliPath first, even when COPILOT_CLI_PATH is set', () => {
    const explicit = file('explicit/copilot');
    const fromEnv = file('env/copilot');
    expect(resolveCliPath({ cliPath: explicit, env: { COPILOT_CLI_PATH: fromEnv } })).toBe(explicit);
  });

  it('resolves a relative cliPath against the current directory', () => {
    const explicit = file('explicit/copilot');
    expect(resolveCliPath({ cliPath: path.relative(process.cwd(), explicit), env: {} })).toBe(explicit);
  });

  it('reports an explicit cliPath that does not exist, instead of looking elsewhere', () => {
    const missing = path.join(dir, 'nope', 'copilot');
    const error = notFound(() => resolveCliPath({ cliPath: missing, env: { COPILOT_CLI_PATH: file('env/copilot') } }));
    expect(error.tried).toEqual([`cliPath option: ${missing} (does not exist)`]);
    expect(error.message).toContain(missing);
  });

  it('reports an explicit cliPath that is a directory', () => {
    const error = notFound(() => resolveCliPath({ cliPath: dir, env: {} }));
    expect(error.tried).toEqual([`cliPath option: ${dir} (a directory, not a file)`]);
  });

  it('looks a bare cliPath name up on PATH', () => {
    const onPath = file('bin/my-copilot');
    expect(resolveCliPath({ cliPath: 'my-copilot', env: { PATH: path.join(dir, 'bin') } })).toBe(onPath);
  });

  it('uses COPILOT_CLI_PATH from the given env when no cliPath is given', () => {
    const fromEnv = file('env/copilot');
    expect(resolveCliPath({ env: { COPILOT_CLI_PATH: fromEnv } })).toBe(fromEnv);
  });

  it('reports a COPILOT_CLI_PATH that does not exist', () => {
    const missing = path.join(dir, 'gone');
    const error = notFound(() => resolveCliPath({ env: { COPILOT_CLI_PATH: missing } }));
    expect(error.tried).toEqual([`COPILOT_CLI_PATH: ${missing} (does not exist)`]);
  });

  it('reads COPILOT_CLI_PATH from process.env when no env is given', () => {
    const fromEnv = file('env/copilot');
    const saved = process.env['COPILOT_CLI_PATH'];
    process.env['COPILOT_CLI_PATH'] = fromEnv;
    try {
      expect(resolveCliPath()).toBe(fromEnv);
    } finally {
      if (saved === undefined) delete process.env['COPILOT_CLI_PATH'];
      else process.env['COPILOT_CLI_PATH'] = saved;
    }
  });

  it('finds the installed platform package native binary by default (the real one in this repo)', () => {
    const pathDir = path.join(dir, 'bin');
    file('bin/copilot'); // on PATH, but the platform package comes first
    expect(resolveCliPath({ env: { PATH: pathDir } })).toBe(path.join(REPO_ROOT, 'node_modules', PLATFORM_PACKAGE, 'copilot'));
  });

  it('resolves the platform package from each searchFrom directory, walking up like Node', () => {
    const binary = platformPackage('project', PLATFORM_PACKAGE);
    mkdirSync(path.join(dir, 'project', 'src', 'deep'), { recursive: true });
    const searchFrom = [path.join(dir, 'elsewhere'), path.join(dir, 'project', 'src', 'deep')];
    expect(resolveCliPath({ env: {}, searchFrom })).toBe(binary);
  });

  it('also tries the linuxmusl package on Linux', () => {
    expect(process.platform).toBe('linux'); // this spec runs where the linux packages apply
    const binary = platformPackage('project', `@github/copilot-linuxmusl-${process.arch}`);
    expect(resolveCliPath({ env: {}, searchFrom: [path.join(dir, 'project')] })).toBe(binary);
  });

  it('falls back to an executable copilot on PATH, skipping files that are not executable', () => {
    file('a/copilot', 0o644);
    const executable = file('b/copilot');
    const env = { PATH: [path.join(dir, 'a'), path.join(dir, 'b')].join(path.delimiter) };
    expect(resolveCliPath({ env, searchFrom: [path.join(dir, 'empty')] })).toBe(executable);
  });

  it('lists every place it looked at, in order, when nothing is found', () => {
    const empty = path.join(dir, 'empty');
    const env = { PATH: [path.join(dir, 'a'), path.join(dir, 'b')].join(path.delimiter) };
    const error = notFound(() => resolveCliPath({ env, searchFrom: [empty] }));
    expect(error.tried).toEqual([
      'cliPath option (not given)',
      'COPILOT_CLI_PATH (not set)',
      `${PLATFORM_PACKAGE} resolved from ${empty} (not installed)`,
      `@github/copilot-linuxmusl-${process.arch} resolved from ${empty} (not installed)`,
      `${path.join(dir, 'a', 'copilot')} (on PATH)`,
      `${path.join(dir, 'b', 'copilot')} (on PATH)`,
    ]);
    for (const place of error.tried) expect(error.message).toContain(place);
    expect(error.code).toBe('CLI_NOT_FOUND');
  });

  it('says so when PATH is empty', () => {
    const error = notFound(() => resolveCliPath({ env: {}, searchFrom: [path.join(dir, 'empty')] }));
    expect(error.tried[error.tried.length - 1]).toBe('copilot on PATH (PATH is empty)');
  });

  describe("runtime: 'sdk-runtime'", () => {
    /** A fake SDK platform package: no main, no exports, the runtime under prebuilds/<platform>/. */
    function sdkRuntimePackage(root: string, suffix = PLATFORM): string {
      const name = `@github/copilot-sdk-${suffix}`;
      const pkgDir = path.join(dir, root, 'node_modules', name);
      mkdirSync(pkgDir, { recursive: true });
      writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify({ name }));
      return file(path.join(root, 'node_modules', name, 'prebuilds', suffix, 'copilot-runtime'));
    }

    it("finds the official SDK's bundled runtime installed in this repo", () => {
      expect(resolveCliPath({ runtime: 'sdk-runtime', env: {} })).toBe(
        path.join(REPO_ROOT, 'node_modules', SDK_RUNTIME_PACKAGE, 'prebuilds', PLATFORM, 'copilot-runtime'),
      );
    });

    it('resolves the package from each searchFrom directory, walking up like Node', () => {
      const runtime = sdkRuntimePackage('project');
      mkdirSync(path.join(dir, 'project', 'src'), { recursive: true });
      const searchFrom = [path.join(dir, 'elsewhere'), path.join(dir, 'project', 'src')];
      expect(resolveCliPath({ runtime: 'sdk-runtime', env: {}, searchFrom })).toBe(runtime);
    });

    it('also tries the linuxmusl package on Linux', () => {
      expect(process.platform).toBe('linux');
      const runtime = sdkRuntimePackage('project', `linuxmusl-${process.arch}`);
      expect(resolveCliPath({ runtime: 'sdk-runtime', env: {}, searchFrom: [path.join(dir, 'project')] })).toBe(runtime);
    });

    it('still lets an explicit cliPath, then COPILOT_CLI_PATH, win over the runtime choice', () => {
      const explicit = file('explicit/agent');
      const fromEnv = file('env/agent');
      expect(resolveCliPath({ runtime: 'sdk-runtime', cliPath: explicit, env: { COPILOT_CLI_PATH: fromEnv } })).toBe(explicit);
      expect(resolveCliPath({ runtime: 'sdk-runtime', env: { COPILOT_CLI_PATH: fromEnv } })).toBe(fromEnv);
    });

    it('never falls back to a `copilot` on PATH (that would be the other agent), and says what to install', () => {
      file('bin/copilot');
      const empty = path.join(dir, 'empty');
      const error = notFound(() => resolveCliPath({ runtime: 'sdk-runtime', env: { PATH: path.join(dir, 'bin') }, searchFrom: [empty] }));
      expect(error.tried).toEqual([
        'cliPath option (not given)',
        'COPILOT_CLI_PATH (not set)',
        `${SDK_RUNTIME_PACKAGE} resolved from ${empty} (not installed)`,
        `@github/copilot-sdk-linuxmusl-${process.arch} resolved from ${empty} (not installed)`,
      ]);
      expect(error.message).toContain('npm install @github/copilot-sdk');
    });

    it('reports an installed package whose runtime file is missing', () => {
      const runtime = sdkRuntimePackage('project');
      rmSync(runtime);
      const error = notFound(() => resolveCliPath({ runtime: 'sdk-runtime', env: {}, searchFrom: [path.join(dir, 'project')] }));
      expect(error.tried).toContain(`${runtime} (missing from the installed package)`);
    });
  });

  it('rejects an unknown runtime with a RangeError naming the accepted values', () => {
    expect(() => resolveCliPath({ runtime: 'node' as never, env: {} })).toThrow(
      new RangeError(`runtime must be one of 'cli', 'sdk-runtime'. Got "node"`),
    );
  });
});
