/**
 * `copilot-rx-host`: runs CLIs on this machine and publishes them to the fleet until SIGTERM/SIGINT.
 * Prints one line `copilot-rx-host <name> ready` on stdout once it serves control.
 */
import { createWriteStream } from 'node:fs';
import { CopilotRxClient } from '@copilot-rx/core';
import { FleetHost } from '../host/FleetHost.js';
import { natsConnectOptions, withoutBrokerCredentials } from '../natsOptions.js';
import { parseHostArgs } from './parseArgs.js';

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
    nats: { connect: natsConnectOptions({ servers: args.servers, name: `copilot-rx-host ${args.host}`, credsFile: args.credsFile, tlsCaFile: args.tlsCaFile }, env) },
    clients,
    healthTtlMs: args.healthTtlMs,
    outbox: args.maxPendingEvents ? { maxPendingEvents: args.maxPendingEvents } : undefined,
    remoteConfig: args.remoteConfig,
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

export { USAGE } from './parseArgs.js';
