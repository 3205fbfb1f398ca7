/**
 * Child processes of the harness: the replay server, and one process per variant run. On a machine
 * with `taskset`, the server is pinned to the last CPU and the variants to the others, so the two
 * never compete for a core and runs are comparable.
 */
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('..', import.meta.url));
const CPUS = availableParallelism();
const TASKSET = CPUS >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
export const PINNING = TASKSET ? `server on CPU ${CPUS - 1}, variants on CPU 0${CPUS > 2 ? `–${CPUS - 2}` : ''}` : 'none (no taskset)';

/** Spawns `node [execArgv] script arg` with an IPC channel, pinned when possible. */
function spawnNode(script, arg, { cpus, execArgv = [], env } = {}) {
  const node = [...execArgv, script, arg];
  const [command, args] = TASKSET && cpus ? ['taskset', ['-c', cpus, process.execPath, ...node]] : [process.execPath, node];
  return spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: env ?? process.env });
}

/** Starts the replay server; resolves with its `ready` message and a stop(). */
export async function startReplayServer(config) {
  const child = spawnNode(`${BENCH}lib/replayServer.mjs`, JSON.stringify(config), { cpus: String(CPUS - 1) });
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the replay server exited (code ${code}) before it was ready`)));
  });
  return {
    ...ready,
    stop: () => {
      if (child.connected) child.disconnect();
      child.kill();
    },
  };
}

/**
 * Runs one variant process (bench/variants/<name>.mjs) with `config`; resolves with its result, or
 * with `{ error }` when it failed, crashed or took longer than `timeoutMs` (then it is killed).
 */
export function runVariantProcess(name, config, { timeoutMs = 180_000, execArgv = [], pin = true } = {}) {
  // Unpinned when the variant spawns a CLI: the CLI inherits the affinity and would share the core.
  const child = spawnNode(`${BENCH}variants/${name}.mjs`, JSON.stringify(config), {
    cpus: pin ? (CPUS > 2 ? `0-${CPUS - 2}` : '0') : undefined,
    execArgv: ['--expose-gc', ...execArgv],
  });
  return new Promise((resolve) => {
    let outcome;
    const timer = setTimeout(() => {
      outcome ??= { error: `timed out after ${timeoutMs} ms` };
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('message', (message) => {
      outcome ??= message.type === 'result' ? message.result : { error: message.error };
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(outcome ?? { error: `exited with ${signal ?? `code ${code}`} and no result` });
    });
  });
}

/**
 * The A B A B ... schedule: `runs` rounds, each running every variant once in the same order, so
 * drift in the machine's state (other load, thermal, caches) spreads evenly over the variants.
 */
export async function alternate(variants, runs, runOne, log) {
  const results = Object.fromEntries(variants.map((v) => [v.key, []]));
  for (let round = 0; round < runs; round++) {
    for (const variant of variants) {
      const result = await runOne(variant);
      results[variant.key].push(result);
      log(`  ${variant.key} #${round + 1}: ${result.error ? `FAILED ${result.error.split('\n')[0]}` : variant.describe(result)}`);
    }
  }
  return results;
}
