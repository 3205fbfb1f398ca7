/**
 * The fleet with the real Copilot CLI: a host process runs the pinned CLI offline (streaming from the
 * scripted model endpoint, route B), a consumer creates a session on it through the broker, runs a
 * turn remotely and reads back exactly the events the host's own client saw.
 */
import { tmpdir } from 'node:os';
import { lastValueFrom, scan, toArray } from 'rxjs';
import { createCliSandbox, startScriptedModelEndpoint, type CliSandbox, type ScriptedModelEndpoint } from '@copilot-rx/testing';
import { natsServerTool } from './natsServer';
import { startFleet, until, waitFor, type FleetFixture } from './fleetFixture';

jest.setTimeout(240_000);

natsServerTool.describe('a fleet host running the real Copilot CLI', () => {
  let f: FleetFixture;
  let sandbox: CliSandbox;
  let endpoint: ScriptedModelEndpoint;

  beforeAll(async () => {
    endpoint = await startScriptedModelEndpoint();
    sandbox = await createCliSandbox();
    f = await startFleet([]);
    // The sandbox's environment isolates the CLI; the host keeps the machine's TMPDIR (its compile cache).
    // The scripted endpoint's URL is known only now, so this host lets a remote create choose its provider.
    const remoteConfig = 'model,provider,systemMessage,availableTools';
    await f.addHost('real', { cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: { ...sandbox.env, TMPDIR: tmpdir() }, remoteConfig });
  });
  afterAll(async () => {
    await f?.dispose();
    await sandbox?.dispose();
    await endpoint?.close();
  });

  it('runs a remote turn on the real CLI, and the fleet holds the events the host saw, in order', async () => {
    const session = await f.fleet.createSession('real', {
      model: 'claude-sonnet-4.5',
      provider: { ...endpoint.byokProvider() },
      systemMessage: { mode: 'replace', content: 'You are a test assistant.' },
      availableTools: [],
    });
    const turn = await lastValueFrom(session.send('Real fleet hello [[chunks 5]]').pipe(toArray()));
    const text = turn.flatMap((e) => (e.type === 'assistant.message_delta' ? [e.data.deltaContent] : [])).join('');
    expect(text).toBe('Real-1 fleet-2 hello-3 Real-4 fleet-5');
    expect(turn.at(-1)!.type).toBe('session.idle');
    const host = f.hosts[0]!;
    const local = await until(() => host.journal().get(session.id) ?? [], (ids) => ids.includes(turn.at(-1)!.id), 'the turn in the host journal');
    const remote = await waitFor(
      session.eventsFrom('start').pipe(scan((all: string[], e) => [...all, e.id], [])),
      (all) => all.length >= local.length,
      'the session in the fleet',
    );
    expect(remote).toEqual(local);
    const hosts = await waitFor(f.fleet.hosts$, (list) => list.length === 1, 'the host');
    expect(hosts[0]!.cliVersions).toEqual(['1.0.102']);
  });
});
