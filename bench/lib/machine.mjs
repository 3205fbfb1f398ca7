/** What the numbers were measured on: machine, Node, package versions, commit, load. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { PINNING } from './processes.mjs';

const ROOT = new URL('../../', import.meta.url);

/** The installed version, read from node_modules directly (exports maps may hide package.json). */
function versionOf(name, from = ROOT) {
  try {
    return JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, from), 'utf8')).version;
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
      'vscode-jsonrpc (inside the SDK)': versionOf('vscode-jsonrpc', new URL('node_modules/@github/copilot-sdk/', ROOT)),
      '@github/copilot (CLI)': versionOf('@github/copilot'),
      rxjs: versionOf('rxjs'),
      'io-ts': versionOf('io-ts'),
    },
  };
}
