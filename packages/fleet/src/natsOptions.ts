/**
 * NATS connection options from what a command line and its environment give: the servers, a
 * credentials file, a CA for TLS, and a token or user/password from `NATS_TOKEN`, `NATS_USER` and
 * `NATS_PASSWORD`. Secrets come from the environment only, never argv (which `ps` shows to every user
 * of the machine). Shared by `copilot-rx-host` and the dashboard's fleet mode.
 */
import { readFileSync } from 'node:fs';
import { credsAuthenticator, type NodeConnectionOptions } from '@nats-io/transport-node';
import { FLEET_CONNECTION_DEFAULTS } from './connection.js';

export interface NatsCommandLine {
  /** One or more `nats://host:port` URLs (a cluster). */
  readonly servers: readonly string[];
  /** The connection's name, shown by the broker's monitoring. */
  readonly name: string;
  readonly credsFile?: string;
  readonly tlsCaFile?: string;
}

/**
 * Reconnects forever, every half second: a broker restart must not end a long-running host or
 * dashboard. With the fleet's connection defaults (no async stack traces: see connection.ts).
 */
export function natsConnectOptions(args: NatsCommandLine, env: NodeJS.ProcessEnv): NodeConnectionOptions {
  const options: Record<string, unknown> = { servers: [...args.servers], name: args.name, maxReconnectAttempts: -1, reconnectTimeWait: 500, ...FLEET_CONNECTION_DEFAULTS };
  if (env['NATS_TOKEN']) options['token'] = env['NATS_TOKEN'];
  if (env['NATS_USER']) Object.assign(options, { user: env['NATS_USER'], pass: env['NATS_PASSWORD'] ?? '' });
  if (args.credsFile) options['authenticator'] = credsAuthenticator(readFileSync(args.credsFile));
  if (args.tlsCaFile) options['tls'] = { caFile: args.tlsCaFile };
  return options as NodeConnectionOptions;
}

/** `env` without the NATS_* variables a process connects to the broker with (for the CLIs it spawns). */
export function withoutBrokerCredentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('NATS_')));
}
