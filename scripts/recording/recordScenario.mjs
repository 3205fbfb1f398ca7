/**
 * One recording: a fresh CLI sandbox, the real CLI over stdio with its traffic tapped, one turn of a
 * scenario driven by the bare client, then `session.detach` and `runtime.shutdown` as the original
 * recordings ended. Every wait is bounded; a failure names the scenario and carries the CLI's stderr.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { stdioTransport } from '@copilot-rx/core';
import { createCliSandbox, defaultStateDir, recordTranscript, SCRIPTED_MODEL_ID } from '@copilot-rx/testing';
import { bareClient } from './bareClient.mjs';
import { WEATHER_RESULT, WEATHER_TOOL } from './scenarios.mjs';

/**
 * @param runsDir where the run's directory goes: outside any git checkout, or the CLI reports that
 *   repository (its root, branch and head commit) in the session context, and so in the recording
 * @returns the entries and the sandbox's paths (for sanitizing) of one recorded scenario
 */
export async function recordScenario(scenario, endpoint, { timeoutMs, runsDir }) {
  const capi = scenario.route === 'capi';
  // The repository's shared extraction cache (235 MB, made once) is reused; only the run moves out.
  const cacheDir = path.join(defaultStateDir(), 'cache');
  const sandbox = await createCliSandbox({ stateDir: runsDir, cacheDir, ...(capi ? { endpoint } : {}) });
  const transport = recordTranscript(
    stdioTransport({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error', ...(capi ? { authToken: endpoint.fakeToken } : {}) }),
  );
  let connection;
  try {
    connection = await transport.open();
    const client = bareClient(connection, transport.recorder, timeoutMs);
    await client.request('connect', { supportedTaskKinds: ['agent', 'client', 'shell'] });
    // Chosen by the client, as the SDK does, so events that come before the answer can be routed.
    const sessionId = randomUUID();
    await client.request('session.create', {
      sessionId,
      model: SCRIPTED_MODEL_ID,
      streaming: true,
      requestPermission: true,
      envValueMode: 'direct',
      tools: [WEATHER_TOOL],
      ...(capi ? {} : { provider: endpoint.byokProvider() }),
    });

    const answers = [];
    let deltas = 0;
    const stop = client.onEvent(sessionId, (event) => {
      const { requestId } = event.data ?? {};
      if (event.type === 'permission.requested') {
        answers.push(client.request('session.permissions.handlePendingPermissionRequest', { sessionId, requestId, result: { kind: 'approve-once' } }));
      } else if (event.type === 'external_tool.requested') {
        answers.push(client.request('session.tools.handlePendingToolCall', { sessionId, requestId, result: WEATHER_RESULT }));
      } else if (event.type === 'assistant.message_delta' && ++deltas === scenario.abortAfterDeltas) {
        answers.push(client.request('session.abort', { sessionId }));
      }
    });
    // Subscribed before the send: the CLI may answer the send after events of the turn.
    const idle = client.nextEvent(sessionId, 'session.idle', scenario.turnTimeoutMs ?? timeoutMs);
    await client.request('session.send', { sessionId, prompt: scenario.prompt });
    await idle;
    stop();
    await Promise.all(answers);
    if (scenario.abortAfterDeltas !== undefined && deltas < scenario.abortAfterDeltas) {
      throw new Error(`the turn ended after ${deltas} message deltas, before the abort (after ${scenario.abortAfterDeltas})`);
    }

    await client.request('session.detach', { sessionId });
    await client.request('runtime.shutdown', {});
    return { entries: [...transport.recorder.entries], sandbox };
  } catch (error) {
    const stderr = connection?.stderrTail() ?? '';
    throw new Error(`${scenario.name}: ${error instanceof Error ? error.message : String(error)}${stderr ? `\nCLI stderr:\n${stderr}` : ''}`, { cause: error });
  } finally {
    await connection?.dispose();
    await sandbox.dispose();
  }
}
