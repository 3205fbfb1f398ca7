/**
 * What a session brings besides tools: MCP servers (local processes or remote endpoints), custom
 * agents, and named model providers, in the shapes the CLI's `session.create` takes. `toWireMcpServers`
 * renames the one field whose wire name differs (`workingDirectory` → `cwd`).
 */
import type { ProviderConfig } from '../codecs/methods/index.js';

interface McpServerBase {
  /** Tools of the server the model may use; `['*']` for all. */
  readonly tools?: readonly string[];
  /** How long a call may take, in ms. */
  readonly timeout?: number;
}

/** An MCP server the CLI starts as a process and speaks to over stdio. */
export interface LocalMcpServer extends McpServerBase {
  readonly type?: 'local' | 'stdio';
  readonly command: string;
  readonly args?: readonly string[];
  /** The server's environment (sent as given: `envValueMode: 'direct'`). */
  readonly env?: Readonly<Record<string, string>>;
  readonly workingDirectory?: string;
}

/** An MCP server reached over HTTP or SSE; one that needs OAuth asks through `onMcpAuth`. */
export interface RemoteMcpServer extends McpServerBase {
  readonly type: 'http' | 'sse';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type McpServerConfig = LocalMcpServer | RemoteMcpServer;

/** A custom agent the model may delegate to (or run as the session's agent, see `SessionConfig.agent`). */
export interface CustomAgentConfig {
  readonly name: string;
  readonly displayName?: string;
  readonly description?: string;
  /** The agent's system prompt. */
  readonly prompt: string;
  /** Tool names it may use; null or absent: all. */
  readonly tools?: readonly string[] | null;
  readonly mcpServers?: Readonly<Record<string, McpServerConfig>>;
  /** Whether the model may pick it on its own. */
  readonly infer?: boolean;
  readonly skills?: readonly string[];
  readonly model?: string;
  readonly reasoningEffort?: string;
}

/** Settings of the session's default (main) agent. */
export interface DefaultAgentConfig {
  /** Tools only sub-agents may use: kept out of the main agent's context. */
  readonly excludedTools?: readonly string[];
}

/** A model provider registered under a name, for models to reference (`providers`). */
export type NamedProviderConfig = ProviderConfig & { readonly name: string };

/** A BYOK model served by a named provider; the session selects it as `provider/id`. */
export interface ProviderModelConfig {
  readonly id: string;
  /** The `NamedProviderConfig.name` that serves it. */
  readonly provider: string;
  /** The model name sent to the provider. Default: `id`. */
  readonly wireModel?: string;
  /** The well-known model whose behaviour and limits apply. Default: `id`. */
  readonly modelId?: string;
  readonly name?: string;
  readonly maxPromptTokens?: number;
  readonly maxContextWindowTokens?: number;
  readonly maxOutputTokens?: number;
}

export function toWireMcpServers(
  servers: Readonly<Record<string, McpServerConfig>> | undefined,
): Record<string, Record<string, unknown>> | undefined {
  if (!servers) return undefined;
  return Object.fromEntries(
    Object.entries(servers).map(([name, server]) => {
      if (!('workingDirectory' in server) || server.workingDirectory === undefined) return [name, { ...server }];
      const { workingDirectory, ...rest } = server;
      return [name, { ...rest, cwd: workingDirectory }];
    }),
  );
}

export function toWireCustomAgents(agents: readonly CustomAgentConfig[] | undefined): Record<string, unknown>[] | undefined {
  return agents?.map(({ mcpServers, ...agent }) => ({ ...agent, ...(mcpServers && { mcpServers: toWireMcpServers(mcpServers) }) }));
}
