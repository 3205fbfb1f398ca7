// Shared by the examples: the real Copilot CLI in a throwaway sandbox, against the scripted model
// endpoint of @copilot-rx/testing on 127.0.0.1 (offline, no account). In your app, this is just
// `new CopilotRxClient()` and `client.createSession({ streaming: true })`.
import { CopilotRxClient } from '@copilot-rx/core';
import { createCliSandbox, startScriptedModelEndpoint } from '@copilot-rx/testing';

export async function offlineSession() {
  const endpoint = await startScriptedModelEndpoint();
  const sandbox = await createCliSandbox();
  const client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error' });
  await client.start();
  const session = await client.createSession({ streaming: true, model: 'claude-sonnet-4.5', provider: endpoint.byokProvider(), availableTools: [] });
  return {
    session,
    /** The scripted model's requests, to show that an aborted turn stopped early. */
    endpoint,
    async stop() {
      await client.stop();
      await endpoint.close();
      await sandbox.dispose();
    },
  };
}
