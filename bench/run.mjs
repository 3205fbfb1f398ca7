/**
 * `npm run bench`: every comparison of bench/README.md, side by side, then bench/RESULTS.md and
 * bench/results.json. Flags: --quick (tiny inputs, one run: a smoke run), --runs=N, --only=a,b
 * (sections: throughput, scaling, memory, latency, real-cli, concurrency; a bare name works too:
 * `npm run bench -- concurrency`), --out=DIR (default: bench/, or a new temporary directory with
 * --quick). With --only, the sections not run keep their figures from the results.json already in
 * DIR; each section says when, on which Node, it was measured.
 * --render (rewrite RESULTS.md from results.json and BOUNDS.md, running nothing).
 * Assumes a build (`npm run bench` runs `tsc -b` first).
 */
import { writeFileSync, readFileSync, existsSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine } from './lib/machine.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { throughput } from './sections/throughput.mjs';
import { scaling } from './sections/scaling.mjs';
import { memory } from './sections/memory.mjs';
import { latency } from './sections/latency.mjs';
import { realCli } from './sections/realCli.mjs';
import { concurrency } from './sections/concurrency.mjs';
import { soak } from './sections/soak.mjs';
import { fleet } from './sections/fleet.mjs';

const BENCH = fileURLToPath(new URL('.', import.meta.url));
const SECTIONS = { throughput, scaling, memory, latency, 'real-cli': realCli, concurrency, soak, fleet };
// Run only when named (`npm run soak`): it takes many minutes and measures endurance, not speed.
// The fleet needs Debian's nats-server: `npm run bench -- fleet`.
const OPT_IN = new Set(['soak', 'fleet']);
// A bare section name (`npm run bench -- concurrency`) means --only=that.
const argv = process.argv.slice(2).map((arg) => (SECTIONS[arg] ? `--only=${arg}` : arg));
const args = Object.fromEntries(
  argv.map((arg) => {
    const [key, value = 'true'] = arg.replace(/^--/, '').split('=');
    return [key, value];
  }),
);
const quick = args.quick === 'true';
const settings = { quick, runs: Number(args.runs ?? (quick ? 1 : 5)) };
const only = args.only ? args.only.split(',') : Object.keys(SECTIONS).filter((name) => !OPT_IN.has(name));
for (const name of only) if (!SECTIONS[name]) throw new Error(`--only: unknown section '${name}'. Known: ${Object.keys(SECTIONS).join(', ')}`);
// A smoke run must not overwrite the committed results: it writes to a temporary directory.
const out = args.out ?? (quick ? mkdtempSync(join(tmpdir(), 'copilot-rx-bench-')) : BENCH);

const boundsFile = join(BENCH, 'BOUNDS.md');
const readBounds = () => (existsSync(boundsFile) ? readFileSync(boundsFile, 'utf8') : undefined);
if (args.render === 'true') {
  const saved = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  writeFileSync(join(out, 'RESULTS.md'), renderMarkdown({ ...saved, bounds: readBounds() }));
  process.stdout.write(`rewrote ${join(out, 'RESULTS.md')} from results.json\n`);
  process.exit(0);
}

const started = performance.now();
const log = (line) => process.stdout.write(`${line}\n`);
const info = machine();
log(`copilot-rx bench on ${info.cpu}, Node ${info.node}, pinning: ${info.pinning}, load ${info.loadAverage}`);
const sections = [];
for (const name of only) {
  const t0 = performance.now();
  // Fewer runs where a run is slow and steady (the real CLI, memory), more where the machine's other
  // load shows most (latency tails).
  const runs = name === 'real-cli' || name === 'memory' ? Math.max(1, Math.min(settings.runs, 3)) : name === 'latency' && !quick ? settings.runs + 2 : settings.runs;
  const measured = { date: new Date().toISOString(), node: process.version, commit: info.commit, loadAverage: loadavg().map((x) => x.toFixed(2)).join(' ') };
  const section = await SECTIONS[name]({ quick, runs, log, args });
  measured.loadAverage += ` at the start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end`;
  sections.push({ ...section, measured });
  log(`${name} done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
const seconds = (performance.now() - started) / 1000;
// Other work on the machine shows up as noise; the load at both ends says how much there was.
info.loadAverage = `${info.loadAverage} at the start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end (1, 5, 15 min)`;
const bounds = readBounds();
const all = mergeWithSaved(sections);
writeFileSync(join(out, 'results.json'), `${JSON.stringify({ machine: info, settings, seconds, sections: all }, null, 1)}\n`);
writeFileSync(join(out, 'RESULTS.md'), renderMarkdown({ machine: info, settings, sections: all, bounds, seconds }));
log('');
for (const section of sections) for (const line of section.ratios) log(line);
log(`\nwrote ${join(out, 'RESULTS.md')} and results.json in ${seconds.toFixed(0)} s`);

/**
 * The sections just run, in the order of SECTIONS, with the saved ones not run this time (a partial run
 * must not erase the other figures). A saved section without its own `measured` stamp gets the saved
 * run's machine, so every figure keeps the Node version and date it was measured with.
 */
function mergeWithSaved(fresh) {
  const savedFile = join(out, 'results.json');
  if (!args.only || !existsSync(savedFile)) return fresh;
  const saved = JSON.parse(readFileSync(savedFile, 'utf8'));
  const stamp = { date: saved.machine.date, node: saved.machine.node, commit: saved.machine.commit, loadAverage: saved.machine.loadAverage };
  const byKey = new Map(saved.sections.map((section) => [section.key, { measured: stamp, ...section }]));
  for (const section of fresh) byKey.set(section.key, section);
  const order = Object.keys(SECTIONS);
  return [...byKey.values()].sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
}
