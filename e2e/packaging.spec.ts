/**
 * The built packages, as an app would load them: `tsc -b` output, imported by name from ESM and
 * required from CommonJS, in a fresh Node process outside jest.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildAll } from './support/build';

jest.setTimeout(180_000);

const root = path.resolve(__dirname, '..');
const packages = ['@copilot-rx/core', '@copilot-rx/operators', '@copilot-rx/testing'];
const probes: Record<string, string> = {
  '@copilot-rx/core': 'typeof m.CopilotRxClient === "function" && typeof m.approveAll === "function"',
  '@copilot-rx/operators': 'typeof m.accumulateText === "function" && typeof m.ofType === "function"',
  '@copilot-rx/testing': 'typeof m.startScriptedModelEndpoint === "function"',
};

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
}

// Built under the lock the other built-output specs share: two `tsc -b` writing dist at once could
// hand a spawned process a half-written file.
beforeAll(() => buildAll());

describe.each(packages)('%s built output', (name) => {
  it('loads with require() from CommonJS', () => {
    const script = `const m = require(${JSON.stringify(name)}); console.log(${probes[name]});`;
    expect(node(['-e', script])).toBe('true');
  });

  it('loads with import from an ES module, named exports included', () => {
    const script = `import * as m from ${JSON.stringify(name)}; console.log(${probes[name]});`;
    expect(node(['--input-type=module', '-e', script])).toBe('true');
  });

  it('ships type declarations', () => {
    const manifest = require(path.join(root, 'packages', name.split('/')[1]!, 'package.json')) as {
      exports: { '.': { types: string } };
    };
    const declarations = path.join(root, 'packages', name.split('/')[1]!, manifest.exports['.'].types);
    expect(node(['-e', `console.log(require('fs').existsSync(${JSON.stringify(declarations)}))`])).toBe('true');
  });
});
