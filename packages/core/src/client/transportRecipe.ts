/**
 * Which transport the client options describe, and whether the client may open it again after the
 * link was lost (the condition `validateReopenable` in reconnect.ts checks at construction).
 */
import { spawnTcpTransport, stdioTransport } from '../transport/index.js';
import type { Transport } from '../transport/types.js';
import type { CopilotRxClientOptions } from './options.js';

/** The transport to open: the one given, a new one from the given factory, or a CLI to spawn. */
export function resolveTransport(options: CopilotRxClientOptions): Transport {
  const { transport = 'stdio', cliPath, runtime, cliArgs, cwd, env, logLevel, authToken, startupTimeoutMs } = options;
  if (typeof transport === 'object') return transport;
  if (typeof transport === 'function') return transport();
  const processOptions = { cliPath, runtime, args: cliArgs, cwd, env, logLevel, authToken, startupTimeoutMs };
  return transport === 'tcp' ? spawnTcpTransport(processOptions) : stdioTransport(processOptions);
}

/** How to open the link again, when the client may: a transport factory, or a CLI it may respawn. */
export function reopener(options: CopilotRxClientOptions): (() => Transport) | undefined {
  const { transport, reconnect } = options;
  if (!reconnect) return undefined;
  if (typeof transport === 'function') return transport;
  if (reconnect.restartCli && (transport === undefined || typeof transport === 'string')) return () => resolveTransport(options);
  return undefined;
}
