/**
 * A fleet on this machine for the e2e suites: one real nats-server, N `copilot-rx-host` processes
 * (each with its own fake agent process unless told otherwise) and a consumer. Everything is torn down
 * by pid; every wait is bounded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { firstValueFrom, filter, timeout, type Observable } from 'rxjs';
import { CopilotFleet } from '@copilot-rx/fleet';
import { fakeAgentBinPath } from '@copilot-rx/testing';
import { spawnHost, type HostProcess, type HostProcessOptions } from './hostProcess';
import { startNatsServer, type NatsServer, type NatsServerOptions } from './natsServer';

export interface FleetFixture {
  readonly nats: NatsServer;
  readonly hosts: HostProcess[];
  readonly fleet: CopilotFleet;
  readonly dir: string;
  addHost(name: string, options?: Partial<HostProcessOptions>): Promise<HostProcess>;
  dispose(): Promise<void>;
}

export async function startFleet(hostNames: readonly string[], options: { nats?: NatsServerOptions; host?: Partial<HostProcessOptions>; consumer?: { user: string; pass: string } } = {}): Promise<FleetFixture> {
  const nats = await startNatsServer(options.nats);
  const dir = mkdtempSync(path.join(tmpdir(), 'copilot-rx-fleet-'));
  const hosts: HostProcess[] = [];
  const addHost = async (name: string, extra: Partial<HostProcessOptions> = {}) => {
    const host = await spawnHost({ url: nats.url, name, cliPath: fakeAgentBinPath, journalDir: dir, ...options.host, ...extra });
    hosts.push(host);
    return host;
  };
  let fleet: CopilotFleet | undefined;
  try {
    await Promise.all(hostNames.map((name) => addHost(name)));
    fleet = await CopilotFleet.connect({ nats: { connect: { servers: nats.url, ...options.consumer } } });
  } catch (error) {
    await Promise.all(hosts.map((host) => host.kill()));
    await nats.dispose();
    throw error;
  }
  return {
    nats,
    hosts,
    fleet,
    dir,
    addHost,
    dispose: async () => {
      await fleet.close();
      await Promise.all(hosts.map((host) => host.stop()));
      await nats.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The first value of `source$` that passes `predicate`, or a TimeoutError naming `what` after `ms`. */
export function waitFor<T>(source$: Observable<T>, predicate: (value: T) => boolean, what: string, ms = 15_000): Promise<T> {
  return firstValueFrom(
    source$.pipe(
      filter(predicate),
      timeout({ first: ms, with: () => Promise.reject(new Error(`timed out after ${ms} ms waiting for ${what}`)) }),
    ),
  );
}

/** Polls `read` until `predicate` holds (bounded). */
export async function until<T>(read: () => T, predicate: (value: T) => boolean, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
