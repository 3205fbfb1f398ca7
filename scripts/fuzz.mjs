#!/usr/bin/env node
/**
 * The long fuzz run of the incoming path (issue 9 §8): the same generated cases and oracle as the
 * fuzz spec in `npm test` (packages/core/src/testSupport/wireFuzz), by the hundred thousand frames.
 *
 *   npm run fuzz -- [--frames 100000] [--seed 42]
 *
 * Prints cases/s and frames/s, crashes (uncaught exceptions or unhandled rejections: with this
 * script's handlers installed they are counted instead of ending the run), frames skipped and
 * reported by reason, decode errors, canaries delivered. Exits 1 on any violated property or crash,
 * after printing the first failing case (shrunk by fast-check), so a failure can be replayed with
 * its seed. Offline: nothing but in-process streams.
 */
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '100000' },
    seed: { type: 'string' },
  },
});
const targetFrames = Number(values.frames);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(targetFrames) || targetFrames <= 0 || !Number.isInteger(seed)) {
  console.error(`usage: npm run fuzz -- [--frames N] [--seed S]. Got --frames ${values.frames} --seed ${values.seed}`);
  process.exit(2);
}

// tsx runs the TypeScript sources as they are: no build step, the code the spec tests.
const fc = (await import('fast-check')).default;
const { runWireCase } = await tsImport('../packages/core/src/testSupport/wireFuzz/runWireCase.ts', import.meta.url);
const { wireCaseArb } = await tsImport('../packages/core/src/testSupport/wireFuzz/wireItems.ts', import.meta.url);

let crashes = 0;
const crash = (kind) => (error) => {
  crashes++;
  console.error(`CRASH (${kind}):`, error);
};
process.on('uncaughtException', crash('uncaught exception'));
process.on('unhandledRejection', crash('unhandled rejection'));

const tally = { cases: 0, frames: 0, delivered: 0, decodeErrors: 0, reports: new Map() };
const started = performance.now();
let lastPrint = started;

const print = (label) => {
  const seconds = (performance.now() - started) / 1000;
  const reasons = [...tally.reports].map(([reason, count]) => `${reason} ${count}`).join(', ');
  console.log(
    `${label} ${tally.cases} cases, ${tally.frames} frames in ${seconds.toFixed(1)} s ` +
      `(${(tally.cases / seconds).toFixed(0)} cases/s, ${(tally.frames / seconds).toFixed(0)} frames/s); ` +
      `crashes ${crashes}; canaries delivered ${tally.delivered}; decode errors ${tally.decodeErrors}; ` +
      `skipped and reported: ${reasons || 'none'}`,
  );
};

console.log(`fuzzing the incoming path: ${targetFrames} frames, seed ${seed}`);
// Each case is ~15 frames on average; ask for more runs than needed and stop at the frame count.
const details = await fc.check(
  fc.asyncProperty(wireCaseArb, async (testCase) => {
    if (tally.frames >= targetFrames) return true;
    const crashesBefore = crashes;
    const result = await runWireCase(testCase);
    tally.cases++;
    tally.frames += result.frames;
    tally.delivered += result.delivered;
    tally.decodeErrors += result.decodeErrors;
    for (const report of result.reports) tally.reports.set(report.reason, (tally.reports.get(report.reason) ?? 0) + 1);
    if (performance.now() - lastPrint > 5000) {
      lastPrint = performance.now();
      print('...');
    }
    if (crashes > crashesBefore) return false;
    if (result.violations.length > 0) {
      console.error(result.violations.join('\n'));
      return false;
    }
    return true;
  }),
  { seed, numRuns: Math.ceil(targetFrames / 2), endOnFailure: false },
);

print('done:');
if (details.failed) {
  const counterexample = JSON.stringify(details.counterexample, (_, value) => (value instanceof Uint8Array ? [...value] : value));
  console.error(`FAILED (seed ${seed}, path ${details.counterexamplePath}): ${counterexample.slice(0, 4000)}`);
}
process.exit(details.failed || crashes > 0 ? 1 : 0);
