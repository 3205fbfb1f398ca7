/**
 * The arguments of `copilot-rx-host`. Secrets (NATS token, password) come from the environment only,
 * never the command line (which `ps` shows to every user of the machine).
 */
import { parseArgs as parseNodeArgs } from 'node:util';
import { assertRemoteConfigPolicy, type RemoteConfigPolicy } from '../host/remoteConfigPolicy.js';

export interface HostArgs {
  readonly servers: string[];
  readonly host: string;
  readonly clients: number;
  readonly cliPath?: string;
  readonly runtime?: 'cli' | 'sdk-runtime';
  readonly healthTtlMs?: number;
  readonly journal?: string;
  readonly credsFile?: string;
  readonly tlsCaFile?: string;
  readonly maxPendingEvents?: number;
  readonly startupTimeoutMs?: number;
  readonly remoteConfig?: RemoteConfigPolicy;
}

export const USAGE = `usage: copilot-rx-host --nats nats://127.0.0.1:4222 --host NAME [options]
  --nats URL            a NATS server (repeat for a cluster)
  --host NAME           this host's name in subjects ([A-Za-z0-9_-])
  --clients N           CLIs to run on this host (default 1)
  --cli-path PATH       the agent binary (default: core's resolution)
  --runtime cli|sdk-runtime
  --health-ttl MS       down after this long without a heartbeat (default 15000)
  --max-pending N       outbox bound in events (default 100000)
  --startup-timeout MS  how long each CLI may take to answer its handshake (default 30000)
  --journal FILE        append every event this host saw ({sessionId,id,type} per line)
  --remote-config P     settings a remote create may choose: defaults-only (default), allow,
                        or a comma-separated list (model,streaming,reasoningEffort,provider,
                        systemMessage,availableTools,excludedTools)
  --creds FILE          NATS credentials file; NATS_TOKEN, NATS_USER/NATS_PASSWORD come from the env
  --tls-ca FILE         CA for a TLS connection to NATS`;

/** Bad command-line arguments: the bin prints the message and the usage, no stack. */
export class HostUsageError extends Error {
  override readonly name = 'HostUsageError';
}

export function parseHostArgs(argv: readonly string[]): HostArgs {
  try {
    return parse(argv);
  } catch (error) {
    if (error instanceof HostUsageError) throw error;
    // node:util's own errors (an unknown option, a missing value) name the option already.
    throw new HostUsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

function parse(argv: readonly string[]): HostArgs {
  const { values } = parseNodeArgs({
    args: [...argv],
    options: {
      nats: { type: 'string', multiple: true },
      host: { type: 'string' },
      clients: { type: 'string' },
      'cli-path': { type: 'string' },
      runtime: { type: 'string' },
      'health-ttl': { type: 'string' },
      'max-pending': { type: 'string' },
      'startup-timeout': { type: 'string' },
      journal: { type: 'string' },
      'remote-config': { type: 'string' },
      creds: { type: 'string' },
      'tls-ca': { type: 'string' },
    },
    strict: true,
  });
  if (!values.nats?.length) throw new HostUsageError(`--nats is required\n${USAGE}`);
  if (!values.host) throw new HostUsageError(`--host is required\n${USAGE}`);
  const runtime = values.runtime;
  if (runtime !== undefined && runtime !== 'cli' && runtime !== 'sdk-runtime') throw new HostUsageError(`--runtime must be cli or sdk-runtime. Got ${JSON.stringify(runtime.slice(0, 40))}`);
  return {
    servers: values.nats,
    host: values.host,
    clients: positive('--clients', values.clients) ?? 1,
    cliPath: values['cli-path'],
    runtime,
    healthTtlMs: positive('--health-ttl', values['health-ttl']),
    maxPendingEvents: positive('--max-pending', values['max-pending']),
    startupTimeoutMs: positive('--startup-timeout', values['startup-timeout']),
    journal: values.journal,
    remoteConfig: remoteConfig(values['remote-config']),
    credsFile: values.creds,
    tlsCaFile: values['tls-ca'],
  };
}

function positive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new HostUsageError(`${flag} must be a positive integer. Got ${JSON.stringify(value.slice(0, 40))}`);
  return n;
}

function remoteConfig(value: string | undefined): RemoteConfigPolicy | undefined {
  if (value === undefined) return undefined;
  try {
    return assertRemoteConfigPolicy(value === 'defaults-only' || value === 'allow' ? value : value.split(',').map((field) => field.trim()));
  } catch (error) {
    throw new HostUsageError(`--remote-config: ${(error as Error).message}`);
  }
}
