/**
 * CPU time and RSS of a process and every descendant, read from /proc (Linux only; elsewhere every
 * reading is NaN). The agent may start helpers of its own, and the SDK runtime's wrapper is one process
 * among several, so a single pid would undercount.
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux build Node supports

function read(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function childrenOf(pid) {
  const tasks = read(`/proc/${pid}/task/${pid}/children`) ?? '';
  return tasks.split(' ').filter(Boolean).map(Number);
}

function tree(pid) {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]));
  return all;
}

/** `{ cpuSeconds, rssBytes }` summed over `pid` and its descendants now. */
export function sampleTree(pid) {
  if (pid === undefined) return { cpuSeconds: NaN, rssBytes: NaN };
  let ticks = 0;
  let rssKb = 0;
  let seen = 0;
  for (const p of tree(pid)) {
    const stat = read(`/proc/${p}/stat`);
    const status = read(`/proc/${p}/status`);
    if (!stat || !status) continue;
    // Fields after the ")" that ends the command name: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
    rssKb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    seen++;
  }
  return seen === 0 ? { cpuSeconds: NaN, rssBytes: NaN } : { cpuSeconds: ticks / TICKS_PER_SECOND, rssBytes: rssKb * 1024 };
}

/**
 * Samples the agent's tree and this process's heap every `intervalMs` until stopped; keeps the peaks.
 * The timer is unref'd: a sampler never keeps a run alive.
 */
export function startSampler(pid, intervalMs = 200) {
  const peaks = { rssBytes: 0, heapBytes: 0 };
  const tick = () => {
    const { rssBytes } = sampleTree(pid);
    if (rssBytes > peaks.rssBytes) peaks.rssBytes = rssBytes;
    const heap = process.memoryUsage().heapUsed;
    if (heap > peaks.heapBytes) peaks.heapBytes = heap;
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    peaks,
    stop() {
      clearInterval(timer);
      tick();
      return peaks;
    },
  };
}
