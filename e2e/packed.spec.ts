/**
 * The three packages as a user gets them: `npm pack`ed, installed from the tarballs into an empty
 * project (offline: third-party packages are links to the repository's installed ones), then used from
 * an ES module, a CommonJS file and a TypeScript file checked the strict way (`nodenext`,
 * `exactOptionalPropertyTypes`, `skipLibCheck: false`), each streaming an answer from the fake agent's
 * bin (the packed one, which runs the built JavaScript).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { derivedAnswerChunks } from '@copilot-rx/testing';
import { buildAll, root } from './support/build';
import { consumerFiles, PROMPT } from './support/consumerApp';

jest.setTimeout(300_000);

const PACKAGES = ['core', 'operators', 'testing'] as const;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');

interface PackResult {
  readonly name: string;
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

let consumer: string;
let packed: PackResult[];

function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe', timeout: 120_000 });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stderr ?? ''}\n${failed.stdout ?? ''}\n${failed.message}`);
  }
}

/**
 * The packed tarballs, and the third-party packages they need (dependencies and required peers) as
 * links to the repository's installed copies: npm's cache holds their tarballs but not the registry
 * documents an install by version range needs, so linking is what keeps the install offline.
 */
function consumerDependencies(tarballs: string): Record<string, string> {
  const dependencies: Record<string, string> = {};
  for (const pack of packed) dependencies[pack.name] = `file:${path.join(tarballs, pack.filename)}`;
  for (const name of PACKAGES) {
    const manifest = JSON.parse(readFileSync(path.join(root, 'packages', name, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    const required = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((peer) => manifest.peerDependenciesMeta?.[peer]?.optional !== true),
    ];
    for (const dependency of required) {
      if (!dependency.startsWith('@copilot-rx/')) dependencies[dependency] = `file:${path.join(root, 'node_modules', dependency)}`;
    }
  }
  return dependencies;
}

/** The line of JSON an app printed last. */
function report(output: string): { entry: string; text: string; operatorsLoadedCore?: boolean } {
  const last = output.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as { entry: string; text: string; operatorsLoadedCore?: boolean };
}

beforeAll(() => {
  buildAll();
  consumer = mkdtempSync(path.join(tmpdir(), 'copilot-rx-consumer-'));
  const tarballs = path.join(consumer, 'tarballs');
  mkdirSync(tarballs);
  const workspaces = PACKAGES.flatMap((name) => ['--workspace', `packages/${name}`]);
  packed = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', tarballs, ...workspaces], root)) as PackResult[];

  const app = path.join(consumer, 'app');
  mkdirSync(app);
  const files = consumerFiles(consumerDependencies(tarballs), path.join(root, 'node_modules', '@types'));
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(app, file), text);
  // --offline: npm answers from its cache or fails; nothing reaches the network.
  run(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
});

afterAll(() => {
  if (consumer !== undefined) rmSync(consumer, { recursive: true, force: true });
});

describe('the packed tarballs', () => {
  it('hold the dual build and its markers, and nothing that is not shipped', () => {
    expect(packed.map((pack) => pack.name).sort()).toEqual(['@copilot-rx/core', '@copilot-rx/operators', '@copilot-rx/testing']);
    for (const pack of packed) {
      const files = pack.files.map((file) => file.path);
      expect(files).toEqual(expect.arrayContaining(['dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts']));
      expect(files).toEqual(expect.arrayContaining(['dist/esm/package.json', 'dist/cjs/package.json']));
      // Source maps would point at src/, which is not shipped; build info and specs are build leftovers.
      expect(files.filter((file) => /\.map$|tsbuildinfo|\.spec\.|^src\/|testSupport/.test(file))).toEqual([]);
    }
  });

  it('keep the internals of RxSession out of the published declarations', () => {
    const declarations = readFileSync(path.join(consumer, 'app', 'node_modules', '@copilot-rx', 'core', 'dist', 'esm', 'session', 'RxSession.d.ts'), 'utf8');
    expect(declarations).toContain('send(');
    for (const internal of [/\bdeliver\(/, /\bend\(/, /\brunningHandlers\(/, /\bsetAttachInfo\(/, /\breadonly host\b/, /\breadonly config\b/]) {
      expect(declarations).not.toMatch(internal);
    }
  });

  it('declare the CLI an optional peer of core, and operators without core at run time', () => {
    const manifest = (name: string) =>
      JSON.parse(readFileSync(path.join(consumer, 'app', 'node_modules', '@copilot-rx', name, 'package.json'), 'utf8')) as Record<string, Record<string, unknown> | undefined>;
    expect(manifest('core').peerDependencies).toHaveProperty('@github/copilot');
    expect(manifest('core').peerDependenciesMeta).toEqual({ '@github/copilot': { optional: true } });
    expect(manifest('operators').dependencies).not.toHaveProperty('@copilot-rx/core');
  });
});

describe('an app installed from the tarballs, answered by the packed fake agent', () => {
  const expected = derivedAnswerChunks(PROMPT, 3).join('');

  it('runs as an ES module, on the ES module build', () => {
    const out = report(run(process.execPath, ['esm.mjs'], path.join(consumer, 'app')));
    expect(out.text).toBe(expected);
    expect(out.entry).toMatch(/node_modules\/@copilot-rx\/core\/dist\/esm\/index\.js$/);
  });

  it('runs as CommonJS, on the CommonJS build, and operators alone load nothing of core', () => {
    const out = report(run(process.execPath, ['cjs.cjs'], path.join(consumer, 'app')));
    expect(out.text).toBe(expected);
    expect(out.entry).toMatch(/node_modules\/@copilot-rx\/core\/dist\/cjs\/index\.js$/);
    expect(out.operatorsLoadedCore).toBe(false);
  });

  it('type-checks as TypeScript (nodenext, exactOptionalPropertyTypes, skipLibCheck false) and runs', () => {
    const app = path.join(consumer, 'app');
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
    const out = report(run(process.execPath, ['out/typed.js'], app));
    expect(out.text).toBe(expected);
    expect(out.entry).toMatch(/dist\/esm\/index\.js$/);
  });
});
