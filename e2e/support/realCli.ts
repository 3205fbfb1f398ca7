/**
 * Starts the real Copilot CLI (the pinned @github/copilot binary) in an isolated sandbox, pointed at a
 * scripted model endpoint on 127.0.0.1: route B, a BYOK provider given in `session.create`.
 */
import { CopilotRxClient, type SessionConfig } from '@copilot-rx/core';
import { createCliSandbox, startScriptedModelEndpoint, type ScriptedModelEndpoint } from '@copilot-rx/testing';

export type TransportKind = 'stdio' | 'tcp';

export interface RealCli {
  readonly client: CopilotRxClient;
  readonly endpoint: ScriptedModelEndpoint;
  /** Session options that point at the scripted endpoint and keep the model's prompt small. */
  sessionConfig(extra?: SessionConfig): SessionConfig;
  dispose(): Promise<void>;
}

export async function startRealCli(transport: TransportKind, endpoint?: ScriptedModelEndpoint): Promise<RealCli> {
  const ownEndpoint = endpoint ?? (await startScriptedModelEndpoint());
  const sandbox = await createCliSandbox();
  const client = new CopilotRxClient({
    cliPath: sandbox.cliPath,
    cwd: sandbox.cwd,
    env: sandbox.env,
    logLevel: 'error',
    transport,
  });
  await client.start();
  return {
    client,
    endpoint: ownEndpoint,
    sessionConfig: (extra = {}) => ({
      streaming: true,
      model: 'claude-sonnet-4.5',
      provider: ownEndpoint.byokProvider(),
      systemMessage: { mode: 'replace', content: 'You are a test assistant.' },
      availableTools: (extra.tools ?? []).map((tool) => tool.name),
      ...extra,
    }),
    dispose: async () => {
      await client.stop();
      if (!endpoint) await ownEndpoint.close();
      await sandbox.dispose();
    },
  };
}
