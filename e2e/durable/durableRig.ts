/**
 * The rig of the durable-session tests: the real CLI as a TCP server (offline, scripted model),
 * a link proxy of the tests' own between the client under test and the CLI, and clients that
 * reconnect through it.
 */
import { randomUUID } from 'node:crypto';
import { CopilotRxClient, spawnTcpTransport, tcpTransport, type CopilotRxClientOptions, type SessionConfig } from '@copilot-rx/core';
import {
  createCliSandbox,
  startLinkProxy,
  startScriptedModelEndpoint,
  type CliSandbox,
  type LinkProxy,
  type ScriptedModelEndpoint,
} from '@copilot-rx/testing';
import { holdSession, type SessionHolder } from './sessionHolder';

export interface DurableRig {
  readonly endpoint: ScriptedModelEndpoint;
  readonly sandbox: CliSandbox;
  readonly proxy: LinkProxy;
  /** The client that owns the CLI process (it spawned it); the tests' clients go through the proxy. */
  readonly server: CopilotRxClient;
  readonly token: string;
  /** A client through the proxy, reconnecting with short waits unless `options` says otherwise. */
  client(options?: Partial<CopilotRxClientOptions>): Promise<CopilotRxClient>;
  sessionConfig(extra?: SessionConfig): SessionConfig;
  /**
   * A second holder of the session, straight to the CLI (not through the proxy). It declares no
   * tools and no tool filter: the CLI registers client tools per connection (a second declaration
   * of the same name is refused) and applies the latest attachment's filter to the session.
   */
  hold(sessionId: string): Promise<SessionHolder>;
  /** Kills the CLI server and starts a new one on the same state directory, behind the same proxy. */
  restartServer(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startDurableRig(): Promise<DurableRig> {
  const endpoint = await startScriptedModelEndpoint();
  const sandbox = await createCliSandbox({});
  const token = randomUUID();
  const spawnServer = async () => {
    const server = new CopilotRxClient({
      transport: spawnTcpTransport({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error', connectionToken: token }),
    });
    await server.start();
    return server;
  };
  let server = await spawnServer();
  let proxy = await startLinkProxy({ targetPort: server.port! });
  const clients: CopilotRxClient[] = [];
  const holders: SessionHolder[] = [];
  const sessionConfig = (extra: SessionConfig = {}): SessionConfig => ({
    streaming: true,
    model: 'claude-sonnet-4.5',
    provider: endpoint.byokProvider(),
    systemMessage: { mode: 'replace', content: 'You are a test assistant.' },
    availableTools: (extra.tools ?? []).map((tool) => tool.name),
    ...extra,
  });
  return {
    endpoint,
    sandbox,
    get proxy() {
      return proxy;
    },
    get server() {
      return server;
    },
    token,
    client: async (options = {}) => {
      const client = new CopilotRxClient({
        transport: () => tcpTransport({ port: proxy.port, connectionToken: token, connectTimeoutMs: 2_000 }),
        reconnect: { maxAttempts: 20, delayMs: 50 },
        requestTimeoutMs: 20_000,
        ...options,
      });
      clients.push(client);
      await client.start();
      return client;
    },
    sessionConfig,
    hold: async (sessionId) => {
      const { provider, model, systemMessage } = sessionConfig();
      const holder = await holdSession(server.port!, token, { sessionId, provider, model, systemMessage, envValueMode: 'direct' });
      holders.push(holder);
      return holder;
    },
    restartServer: async () => {
      await server.forceStop();
      await proxy.close();
      server = await spawnServer();
      proxy = await startLinkProxy({ targetPort: server.port! });
    },
    dispose: async () => {
      await Promise.all(clients.map((client) => client.stop().catch(() => undefined)));
      await Promise.all(holders.map((holder) => holder.close()));
      await server.stop();
      await proxy.close();
      await endpoint.close();
      await sandbox.dispose();
    },
  };
}
