#!/usr/bin/env node
// Records fixtures/transcripts/cli-1.0.102/parity.jsonl: the official SDK's features as copilot-rx drives
// them on the installed real CLI, offline (route B: a scripted model on 127.0.0.1), so the generated
// codecs are checked against the CLI's real answers to these calls (codecs/rpcTranscripts.spec.ts) and
// core's hook handling against the CLI's real hooks.invoke requests (session/hooksFidelity.spec.ts).
// Session management, status and auth, switchModel, log, hooks, a local MCP server whose tool
// elicits, exit plan mode. Run after `tsc -b packages/testing`:
//
//   node scripts/record-parity-transcript.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import { CopilotRxClient, approveAll, stdioTransport } from '@copilot-rx/core';
import { createCliSandbox, defaultStateDir, recordTranscript, startScriptedModelEndpoint } from '@copilot-rx/testing';
import { writeTranscriptText } from '../fixtures/transcripts/index.js';
import { sanitize } from './recording/sanitize.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tinyServer = path.join(root, 'e2e/support/tinyMcpServer.mjs');
const runsDir = mkdtempSync(path.join(tmpdir(), 'copilot-rx-record-'));
const endpoint = await startScriptedModelEndpoint();
const sandbox = await createCliSandbox({ stateDir: runsDir, cacheDir: path.join(defaultStateDir(), 'cache') });
const transport = recordTranscript(stdioTransport({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error' }));
const client = new CopilotRxClient({ transport, requestTimeoutMs: 30_000 });
const base = {
  streaming: true,
  model: 'claude-sonnet-4.5',
  provider: endpoint.byokProvider(),
  systemMessage: { mode: 'replace', content: 'You are a test assistant.' },
};
const turn = (session, prompt) => lastValueFrom(session.send({ prompt, silenceTimeoutMs: 30_000 }).pipe(toArray()));
try {
  await client.start();
  await client.getStatus();
  await client.getAuthStatus();

  const session = await client.createSession({
    ...base,
    mcpServers: { tiny: { command: 'node', args: [tinyServer], tools: ['*'] } },
    onPermissionRequest: approveAll,
    onElicitation: () => ({ action: 'accept', content: { colour: 'teal' } }),
    hooks: {
      onSessionStart: () => undefined,
      onUserPromptSubmitted: () => undefined,
      onPreToolUse: () => ({ permissionDecision: 'allow' }),
      onPostToolUse: () => undefined,
      onSessionEnd: () => undefined,
      onErrorOccurred: () => undefined,
    },
  });
  await turn(session, 'Echo [[tool tiny-echo {"text":"hi"}]]');
  await turn(session, 'Ask [[tool tiny-ask_colour {}]]');
  await session.switchModel('gpt-5', { reasoningEffort: 'high' });
  await session.log('disk almost full', { level: 'warning' });
  await client.listSessions();
  await client.getSessionMetadata(session.id);
  await client.getLastSessionId();
  await client.getForegroundSessionId();
  await client.setForegroundSessionId(session.id).catch(() => undefined);

  const planner = await client.createSession({ ...base, availableTools: ['exit_plan_mode'], onExitPlanMode: () => ({ approved: true }) });
  await planner.rpc.mode.set({ mode: 'plan' });
  endpoint.enqueue({ kind: 'tool', calls: [{ name: 'exit_plan_mode', arguments: { summary: 'Rename the module' } }] });
  await turn(planner, 'Make a plan');
  await planner.destroy();
  await client.deleteSession(session.id);
} finally {
  await client.stop();
  await endpoint.close();
}
// The MCP server's path is this clone's: written as if it sat in the CLI's working directory.
const recorded = transport.recorder.toJsonl().split(tinyServer).join('/workspace/tinyMcpServer.mjs');
const jsonl = sanitize(recorded, sandbox, { fakeToken: endpoint.fakeToken, apiKey: endpoint.byokProvider().apiKey }, [root]);
console.log(`wrote ${writeTranscriptText('cli-1.0.102/parity.jsonl', jsonl)} (${transport.recorder.entries.length} messages)`);
await sandbox.dispose();
rmSync(runsDir, { recursive: true, force: true });
