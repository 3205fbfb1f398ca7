/**
 * `copilot-rx-host`: runs CLIs on this machine and publishes them to the fleet until SIGTERM/SIGINT.
 * Prints one line `copilot-rx-host <name> ready` on stdout once it serves control.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { CopilotRxClient } from '@copilot-rx/core';
import { credsAuthenticator, type NodeConnectionOptions } from '@nats-io/transport-node';
import { FleetHost } from '../host/FleetHost.js';
import { parseHostArgs, type HostArgs } from './parseArgs.js';

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const args = parseHostArgs(argv);
  // The broker's credentials are the host's, not the agent's: a CLI's shell tool could read them.
  const cliEnv = withoutBrokerCredentials(env);
  const clients = Array.from({ length: args.clients }, () => new CopilotRxClient({ cliPath: args.cliPath, runtime: args.runtime, env: cliEnv, logLevel: 'error', startupTimeoutMs: args.startupTimeoutMs }));
  const journal = args.journal ? createWriteStream(args.journal, { flags: 'a' }) : undefined;
  // A full disk or a lost permission must not end the host with an uncaught 'error' event.
  journal?.on('error', (error) => process.stderr.write(`copilot-rx-host ${args.host}: journal: ${error.message}\n`));
  if (journal) {
    for (const client of clients) {
      client.events$.subscribe({
        next: ({ sessionId, event }) => journal.write(`${JSON.stringify({ sessionId, id: event.id, type: event.type })}\n`),
        error: () => undefined, // the host reports the CLI's end itself
      });
    }
  }
  const host = new FleetHost({
    host: args.host,
    nats: { connect: connectOptions(args, env) },
    clients,
    healthTtlMs: args.healthTtlMs,
    outbox: args.maxPendingEvents ? { maxPendingEvents: args.maxPendingEvents } : undefined,
  });
  host.problems$.subscribe(({ where, error }) => process.stderr.write(`copilot-rx-host ${args.host}: ${where}: ${error instanceof Error ? error.message : String(error)}\n`));
  await host.start();
  process.stdout.write(`copilot-rx-host ${args.host} ready\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await host.stop();
  await Promise.all(clients.map((client) => client.stop()));
  await new Promise<void>((resolve) => (journal ? journal.end(resolve) : resolve()));
}

function connectOptions(args: HostArgs, env: NodeJS.ProcessEnv): NodeConnectionOptions {
  const options: Record<string, unknown> = { servers: args.servers, name: `copilot-rx-host ${args.host}`, maxReconnectAttempts: -1, reconnectTimeWait: 500 };
  if (env['NATS_TOKEN']) options['token'] = env['NATS_TOKEN'];
  if (env['NATS_USER']) Object.assign(options, { user: env['NATS_USER'], pass: env['NATS_PASSWORD'] ?? '' });
  if (args.credsFile) options['authenticator'] = credsAuthenticator(readFileSync(args.credsFile));
  if (args.tlsCaFile) options['tls'] = { caFile: args.tlsCaFile };
  return options as NodeConnectionOptions;
}
export { USAGE } from './parseArgs.js';

/** `env` without the NATS_* variables the host connects to the broker with. */
export function withoutBrokerCredentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('NATS_')));
}
