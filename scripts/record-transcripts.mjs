#!/usr/bin/env node
// Re-records the raw-* transcripts of fixtures/transcripts from the installed real Copilot CLI, offline:
// the CLI runs in a fresh sandbox (createCliSandbox) and talks only to a scripted model endpoint on
// 127.0.0.1 (startScriptedModelEndpoint); its JSON-RPC traffic is tapped by recordTranscript. Run it
// when the pinned @github/copilot version moves, then read what it prints and update the README:
//
//   npm run record:transcripts [-- --only raw-capi-plain,raw-byok-cut]
//
// For each recording it prints how its shape (counts of requests, answers and event types) differs
// from the committed one before replacing it. The sdk-* and cli-1.0.81/* transcripts are not made here
// (they come from the official SDK and from an older CLI); see fixtures/transcripts/README.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startScriptedModelEndpoint } from '@copilot-rx/testing';
import { GZIP_ABOVE_BYTES, listTranscripts, readTranscriptRecords, writeTranscriptText } from '../fixtures/transcripts/index.js';
import { recordScenario } from './recording/recordScenario.mjs';
import { sanitize } from './recording/sanitize.mjs';
import { SCENARIOS } from './recording/scenarios.mjs';
import { shapeDifferences, shapeOf } from './recording/shape.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { only: { type: 'string' }, 'timeout-ms': { type: 'string', default: '30000' } } });
const timeoutMs = Number(values['timeout-ms']);
if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new RangeError(`--timeout-ms must be a positive integer of milliseconds. Got ${JSON.stringify(values['timeout-ms'])}`);

const wanted = values.only?.split(',').map((name) => name.trim().replace(/\.jsonl$/, ''));
const unknown = wanted?.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name)) ?? [];
if (unknown.length > 0) throw new Error(`--only names no scenario: ${unknown.join(', ')}. The scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`);
const chosen = SCENARIOS.filter((scenario) => wanted === undefined || wanted.includes(scenario.name));

const committed = new Set(listTranscripts());
// Outside the checkout: a CLI run inside it would report the repository in its session context.
const runsDir = mkdtempSync(path.join(tmpdir(), 'copilot-rx-record-'));
let failed = 0;
for (const scenario of chosen) {
  const name = `${scenario.name}.jsonl`;
  // A fresh endpoint per recording, so its counters (tool call ids, response ids) start over each time.
  const endpoint = await startScriptedModelEndpoint();
  const started = Date.now();
  try {
    const { entries, sandbox } = await recordScenario(scenario, endpoint, { timeoutMs, runsDir });
    const secrets = { fakeToken: endpoint.fakeToken, apiKey: endpoint.byokProvider().apiKey };
    const jsonl = sanitize(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''), sandbox, secrets, [root]);
    const fresh = jsonl.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    const differences = committed.has(name) ? shapeDifferences(shapeOf(readTranscriptRecords(name)), shapeOf(fresh)) : ['(new)'];
    const written = writeTranscriptText(name, jsonl);
    const size = Buffer.byteLength(jsonl);
    console.log(
      `${name}: ${fresh.length} messages in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${path.relative(root, written)}` +
        `${size > GZIP_ABOVE_BYTES ? ' (gzipped)' : ''}; shape ${differences.length === 0 ? 'unchanged' : `changed:\n    ${differences.join('\n    ')}`}`,
    );
  } catch (error) {
    failed++;
    console.error(`${name}: NOT recorded (the committed one is kept): ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await endpoint.close();
  }
}
rmSync(runsDir, { recursive: true, force: true });
if (failed > 0) {
  console.error(`${failed} of ${chosen.length} recordings failed`);
  process.exitCode = 1;
}
