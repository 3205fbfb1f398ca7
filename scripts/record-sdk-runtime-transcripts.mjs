#!/usr/bin/env node
// Records fixtures/transcripts/sdk-runtime-<version>/: the official SDK's bundled runtime (the agent
// `runtime: 'sdk-runtime'` launches) driven by the same bare client and scenarios as
// `npm run record:transcripts`, offline against the scripted model endpoint on 127.0.0.1, so core's
// codecs spec checks that they hold for this agent too. Run it when @github/copilot-sdk moves:
//
//   node scripts/record-sdk-runtime-transcripts.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveCliPath } from '@copilot-rx/core';
import { startScriptedModelEndpoint } from '@copilot-rx/testing';
import { GZIP_ABOVE_BYTES, writeTranscriptText } from '../fixtures/transcripts/index.js';
import { recordScenario } from './recording/recordScenario.mjs';
import { sanitize } from './recording/sanitize.mjs';
import { SCENARIOS } from './recording/scenarios.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// recordScenario's sandbox resolves the agent as core does, and COPILOT_CLI_PATH comes before any
// installed package there: pointing it at the runtime makes every recording below the runtime's.
process.env.COPILOT_CLI_PATH = resolveCliPath({ runtime: 'sdk-runtime' });
const WANTED = { 'raw-byok-plain': 'byok-plain', 'raw-byok-tool': 'byok-tool', 'raw-capi-plain': 'capi-plain', 'raw-capi-tool': 'capi-tool' };

const runsDir = mkdtempSync(path.join(tmpdir(), 'copilot-rx-record-'));
let failed = 0;
for (const scenario of SCENARIOS.filter((s) => WANTED[s.name])) {
  const endpoint = await startScriptedModelEndpoint();
  try {
    const { entries, sandbox } = await recordScenario(scenario, endpoint, { timeoutMs: 30_000, runsDir });
    const version = entries.find((e) => e.dir === 'cli->client' && typeof e.msg?.result?.version === 'string')?.msg.result.version ?? 'unknown';
    const name = `sdk-runtime-${version}/${WANTED[scenario.name]}.jsonl`;
    const secrets = { fakeToken: endpoint.fakeToken, apiKey: endpoint.byokProvider().apiKey };
    const jsonl = sanitize(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''), sandbox, secrets, [root]);
    const written = writeTranscriptText(name, jsonl);
    console.log(`${name}: ${entries.length} messages -> ${path.relative(root, written)}${Buffer.byteLength(jsonl) > GZIP_ABOVE_BYTES ? ' (gzipped)' : ''}`);
  } catch (error) {
    failed++;
    console.error(`${scenario.name}: NOT recorded: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await endpoint.close();
  }
}
rmSync(runsDir, { recursive: true, force: true });
if (failed > 0) process.exitCode = 1;
