/**
 * What the fleet benchmarks share: a nats-server of their own (Debian's, 127.0.0.1, a free port, a temp
 * store; stopped by pid) and the recorded CLI events with fresh ids, shaped for a host's outbox.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRecording } from './recording.mjs';

export const NATS_SERVER = ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find(existsSync) ?? (spawnSync('sh', ['-c', 'command -v nats-server']).stdout?.toString().trim() || undefined);

export async function startNats() {
  if (!NATS_SERVER) throw new Error('nats-server is missing: apt-get install nats-server');
  const dir = mkdtempSync(join(tmpdir(), 'copilot-rx-bench-nats-'));
  const port = await freePort();
  const child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(dir, 'store')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server not ready in 10 s: ${log}`)), 10_000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      if (/Server is ready/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`nats-server exited (${code}): ${log}`)));
  });
  return {
    url: `nats://127.0.0.1:${port}`,
    /** CPU seconds the server has used so far (user + system, from /proc). */
    cpuSeconds: () => procCpuSeconds(child.pid),
    version: /Version:\s+(\S+)/.exec(log)?.[1] ?? 'unknown',
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function procCpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
}

/** CPU seconds this process has used so far. */
export function ownCpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The recorded turn's session events (CLI 1.0.102, ~10k), as objects. */
export function recordedEvents(name) {
  return loadRecording(name)
    .notifications.filter((n) => n.isEvent)
    .map((n) => JSON.parse(n.text).params.event);
}

/** Copy `index` of a recorded event: a fresh canonical id, so de-duplication keeps every copy. */
export function freshEvent(template, index, timestamp) {
  const id = `${(index >>> 0).toString(16).padStart(8, '0')}-${template.id.slice(9)}`;
  return timestamp === undefined ? { ...template, id } : { ...template, id, timestamp };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
