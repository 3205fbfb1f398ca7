import { CopilotRxClient, type SessionConfig } from '@copilot-rx/core';
import { createCliSandbox, startScriptedModelEndpoint, type CliSandbox, type ScriptedModelEndpoint } from '@copilot-rx/testing';
import { demoTools } from './demoTools';
import { findToken } from './liveCredentials';

/** The Copilot CLI the app drives, and how its sessions reach a model. */
export interface Backend {
  readonly client: CopilotRxClient;
  readonly mode: 'offline' | 'live';
  /** One line for the terminal: what the CLI talks to (never a token). */
  readonly description: string;
  /** The model sessions ask for. */
  readonly model: string;
  /** The session options that reach this backend's model, plus the app's own. */
  sessionConfig(extra: SessionConfig): SessionConfig;
  /** Stops the CLI (runtime.shutdown, then the process), the scripted endpoint and the sandbox. Idempotent. */
  stop(): Promise<void>;
}

export interface BackendOptions {
  readonly live: boolean;
  /** The model; default `claude-sonnet-4.5` (any name works with the scripted endpoint). */
  readonly model?: string;
}

const DEFAULT_MODEL = 'claude-sonnet-4.5';
/**
 * A CLI that dies is started again on the same state directory and its sessions resumed there, so
 * the dashboard keeps showing them (a turn that was running fails with TurnInterruptedError).
 */
const RESTART_CLI = { restartCli: true, maxAttempts: 3 } as const;

/**
 * Starts the real Copilot CLI. Offline (the default): in a throwaway sandbox (its own HOME, config and
 * temp dirs, removed at stop), against the scripted model endpoint of @copilot-rx/testing on
 * 127.0.0.1, as a BYOK provider (real-cli.md route B), with only the app's tools offered to the model,
 * so no built-in tool (shell, file writes) can run. Live: with the user's own login or token, against
 * the Copilot service.
 */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const model = options.model ?? DEFAULT_MODEL;
  let endpoint: ScriptedModelEndpoint | undefined;
  let sandbox: CliSandbox | undefined;
  let client: CopilotRxClient | undefined;
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      // Each step runs even if an earlier one failed: the CLI must not outlive the app.
      await client?.stop().catch(() => client?.forceStop());
      await endpoint?.close().catch(() => undefined);
      await sandbox?.dispose();
    })());

  try {
    if (options.live) {
      const token = findToken(process.env);
      client = new CopilotRxClient({ logLevel: 'error', reconnect: RESTART_CLI, ...(token ? { authToken: token.token } : {}) });
      await client.start();
      return {
        client,
        mode: 'live',
        description: `the Copilot service (${token ? `token from ${token.variable}` : 'your Copilot login'})`,
        model,
        sessionConfig: (extra) => ({ streaming: true, model, ...extra }),
        stop,
      };
    }
    endpoint = await startScriptedModelEndpoint();
    sandbox = await createCliSandbox();
    client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error', reconnect: RESTART_CLI });
    await client.start();
    const provider = endpoint.byokProvider();
    return {
      client,
      mode: 'offline',
      description: `the scripted model at ${endpoint.url} (the offline demo: canned answers, no account; --live for the real service)`,
      model,
      sessionConfig: (extra) => ({
        streaming: true,
        model,
        provider,
        ...extra,
        availableTools: (extra.tools ?? demoTools).map((tool) => tool.name),
      }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
