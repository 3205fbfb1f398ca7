/** What the numbers were measured on: machine, Node, package versions, commit, load. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { PINNING } from './processes.mjs';

const require = createRequire(new URL('../../package.json', import.meta.url));
const ROOT = new URL('../../', import.meta.url);

function versionOf(name) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

function commit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages', 'bench'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

export function machine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${os.availableParallelism()}`,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    pinning: PINNING,
    loadAverage: os.loadavg().map((x) => x.toFixed(2)).join(' '),
    commit: commit(),
    packages: {
      '@copilot-rx/core': versionOf('@copilot-rx/core'),
      '@copilot-rx/operators': versionOf('@copilot-rx/operators'),
      '@github/copilot-sdk': versionOf('@github/copilot-sdk'),
      'vscode-jsonrpc (copilot-rx, raw variant)': versionOf('vscode-jsonrpc'),
      'vscode-jsonrpc (inside the SDK)': versionOfSdkJsonrpc(),
      '@github/copilot (CLI)': versionOf('@github/copilot'),
      rxjs: versionOf('rxjs'),
      'io-ts': versionOf('io-ts'),
    },
  };
}

function versionOfSdkJsonrpc() {
  try {
    const sdk = require.resolve('@github/copilot-sdk/package.json');
    return JSON.parse(readFileSync(new URL('node_modules/vscode-jsonrpc/package.json', `file://${sdk.replace(/package\.json$/, '')}`), 'utf8')).version;
  } catch {
    return versionOf('vscode-jsonrpc');
  }
}
