/**
 * The agents copilot-rx's end-to-end tests run against: the real Copilot CLI (route B, streaming from
 * a scripted model endpoint) and the fake agent's bin (`copilot-rx-fake-agent`, a real process too),
 * each over stdio and TCP. Both read the same prompt markers ([[chunks N]], [[pace MS]],
 * [[tool NAME {json}]], [[http 400]], [[hang]]), so one test body runs on all four.
 */
import { CopilotRxClient, type SessionConfig } from '@copilot-rx/core';
import { createCliSandbox, fakeAgentBinPath, startScriptedModelEndpoint, type ScriptedModelEndpoint } from '@copilot-rx/testing';

export type TransportKind = 'stdio' | 'tcp';
export type BackendKind = `${'real' | 'fake'}-${TransportKind}`;

export const ALL_BACKENDS: readonly BackendKind[] = ['real-stdio', 'real-tcp', 'fake-stdio', 'fake-tcp'];

export interface Backend {
  readonly kind: BackendKind;
  readonly client: CopilotRxClient;
  /** The real CLI's model endpoint; undefined for the fake, which has no model behind it. */
  readonly endpoint: ScriptedModelEndpoint | undefined;
  /** Session options that keep the model's prompt small (and, on the real CLI, point at the endpoint). */
  sessionConfig(extra?: SessionConfig): SessionConfig;
  dispose(): Promise<void>;
}

/**
 * Starts one backend. The fake bin runs in a CLI sandbox like the real CLI, with the same env and
 * flags: only `cliPath` differs, so what core does to launch it is what it does for the real one.
 */
export async function startBackend(kind: BackendKind, endpoint?: ScriptedModelEndpoint): Promise<Backend> {
  const [agent, transport] = kind.split('-') as ['real' | 'fake', TransportKind];
  const ownEndpoint = agent === 'real' && endpoint === undefined ? await startScriptedModelEndpoint() : undefined;
  const modelEndpoint = agent === 'real' ? (endpoint ?? ownEndpoint) : undefined;
  const sandbox = await createCliSandbox(agent === 'fake' ? { cliPath: fakeAgentBinPath } : {});
  const client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error', transport });
  try {
    await client.start();
  } catch (error) {
    await ownEndpoint?.close();
    await sandbox.dispose();
    throw error;
  }
  return {
    kind,
    client,
    endpoint: modelEndpoint,
    sessionConfig: (extra = {}) => ({
      streaming: true,
      model: 'claude-sonnet-4.5',
      ...(modelEndpoint ? { provider: modelEndpoint.byokProvider() } : {}),
      systemMessage: { mode: 'replace', content: 'You are a test assistant.' },
      availableTools: (extra.tools ?? []).map((tool) => tool.name),
      ...extra,
    }),
    dispose: async () => {
      await client.stop();
      await ownEndpoint?.close();
      await sandbox.dispose();
    },
  };
}
