/**
 * `npm run bench`: every comparison of bench/README.md, side by side, then bench/RESULTS.md and
 * bench/results.json. Flags: --quick (tiny inputs, one run: a smoke run), --runs=N, --only=a,b
 * (sections: throughput, scaling, memory, latency, real-cli), --out=DIR (default: bench/, or a new
 * temporary directory with --quick),
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

const BENCH = fileURLToPath(new URL('.', import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value = 'true'] = arg.replace(/^--/, '').split('=');
    return [key, value];
  }),
);
const quick = args.quick === 'true';
const settings = { quick, runs: Number(args.runs ?? (quick ? 1 : 5)) };
const SECTIONS = { throughput, scaling, memory, latency, 'real-cli': realCli };
const only = args.only ? args.only.split(',') : Object.keys(SECTIONS);
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
  sections.push(await SECTIONS[name]({ quick, runs, log }));
  log(`${name} done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
const seconds = (performance.now() - started) / 1000;
// Other work on the machine shows up as noise; the load at both ends says how much there was.
info.loadAverage = `${info.loadAverage} at the start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end (1, 5, 15 min)`;
const bounds = readBounds();
writeFileSync(join(out, 'results.json'), `${JSON.stringify({ machine: info, settings, seconds, sections }, null, 1)}\n`);
writeFileSync(join(out, 'RESULTS.md'), renderMarkdown({ machine: info, settings, sections, bounds, seconds }));
log('');
for (const section of sections) for (const line of section.ratios) log(line);
log(`\nwrote ${join(out, 'RESULTS.md')} and results.json in ${seconds.toFixed(0)} s`);
