/**
 * The built packages, as an app would load them: `tsc -b` output, imported by name from ESM and
 * required from CommonJS in a fresh Node process outside jest, each landing on its own build; and the
 * source conventions the ES module build depends on, which the type checker does not enforce.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildAll, root } from './support/build';

jest.setTimeout(180_000);

const packages = ['core', 'operators', 'testing'] as const;
const probes: Record<(typeof packages)[number], string> = {
  core: 'typeof m.CopilotRxClient === "function" && typeof m.approveAll === "function"',
  operators: 'typeof m.accumulateText === "function" && typeof m.ofType === "function"',
  testing: 'typeof m.startScriptedModelEndpoint === "function"',
};

interface Conditional {
  readonly import: { readonly types: string; readonly default: string };
  readonly require: { readonly types: string; readonly default: string };
}

function manifest(name: string): { exports: Record<string, Conditional | string> } {
  return JSON.parse(readFileSync(path.join(root, 'packages', name, 'package.json'), 'utf8')) as { exports: Record<string, Conditional | string> };
}

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
}

/** The TypeScript files each package builds (what its tsconfig includes: no specs, no test support). */
function builtSources(name: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'testSupport' && entry.name !== 'fixtures') walk(full);
      } else if (/\.c?ts$/.test(entry.name) && !/\.spec\.ts$|\.d\.ts$/.test(entry.name)) {
        found.push(full);
      }
    }
  };
  walk(path.join(root, 'packages', name, 'src'));
  return found;
}

// Built under the lock the other built-output specs share: two `tsc -b` writing dist at once could
// hand a spawned process a half-written file.
describe.each(packages)('@copilot-rx/%s built output', (name) => {
  const specifier = `@copilot-rx/${name}`;
  beforeAll(() => buildAll());

  it('loads with require() from CommonJS, from dist/cjs', () => {
    const script = `const m = require(${JSON.stringify(specifier)}); console.log(${probes[name]}, require.resolve(${JSON.stringify(specifier)}));`;
    expect(node(['-e', script])).toMatch(new RegExp(`^true .*packages/${name}/dist/cjs/index\\.js$`));
  });

  it('loads with import from an ES module, named exports included, from dist/esm', () => {
    const script = `import * as m from ${JSON.stringify(specifier)}; console.log(${probes[name]}, import.meta.resolve(${JSON.stringify(specifier)}));`;
    expect(node(['--input-type=module', '-e', script])).toMatch(new RegExp(`^true .*packages/${name}/dist/esm/index\\.js$`));
  });

  it('ships declarations and code for every export under both conditions', () => {
    const missing: string[] = [];
    for (const [subpath, target] of Object.entries(manifest(name).exports)) {
      if (typeof target === 'string') continue;
      for (const file of [target.import.types, target.import.default, target.require.types, target.require.default]) {
        if (!existsSync(path.join(root, 'packages', name, file))) missing.push(`${subpath}: ${file}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe.each(packages)('@copilot-rx/%s sources, as the ES module build needs them', (name) => {
  it('name the file of every relative import (./x.js for x.ts, ./x.cjs for x.cts)', () => {
    // Node's ES module loader does not add extensions or find index files, and tsc emits specifiers as written.
    const offenders = builtSources(name).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]*|\.{1,2})['"]/g)]
        .map((match) => match[1]!)
        .filter((spec) => !/\.(c?js|json)$/.test(spec))
        .map((spec) => `${path.relative(root, file)}: '${spec}'`);
    });
    expect(offenders).toEqual([]);
  });

  it('use no CommonJS-only globals outside .cts files (require, __dirname, __filename)', () => {
    // In dist/esm they are ReferenceErrors, thrown only when the line runs. A .cts file is CommonJS in both builds.
    const offenders = builtSources(name)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ line: line.replace(/\/\/.*$|^\s*\/?\*.*$/, ''), index }))
          .filter(({ line }) => /\brequire\s*[(.]|\b__dirname\b|\b__filename\b/.test(line))
          .map(({ index }) => `${path.relative(root, file)}:${index + 1}`),
      );
    expect(offenders).toEqual([]);
  });
});
