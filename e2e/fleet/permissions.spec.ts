/**
 * Permission prompts answered from afar: a host whose sessions may use one of its own tools asks, the
 * consumer approves through the control service, and the tool runs; with nobody answering, the prompt
 * is denied at the host's deadline (safe by default). The host runs in this process (its tool is a
 * function here), its CLI is the fake agent's process, and the consumer reaches it only through NATS.
 */
import { lastValueFrom, toArray, tap } from 'rxjs';
import { CopilotRxClient, defineTool, type SessionEvent } from '@copilot-rx/core';
import { CopilotFleet, FleetHost } from '@copilot-rx/fleet';
import { createCliSandbox, fakeAgentBinPath, type CliSandbox } from '@copilot-rx/testing';
import { natsServerTool, startNatsServer, type NatsServer } from './natsServer';

jest.setTimeout(240_000);

natsServerTool.describe('remote permission answers', () => {
  let nats: NatsServer;
  let sandbox: CliSandbox;
  let client: CopilotRxClient;
  let host: FleetHost;
  let fleet: CopilotFleet;
  const lookups: unknown[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    sandbox = await createCliSandbox({ cliPath: fakeAgentBinPath });
    client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error' });
    const lookup = defineTool({
      name: 'lookup',
      description: 'Look something up',
      parameters: { type: 'object', properties: { q: { type: 'string' } } },
      handler: (args) => {
        lookups.push(args);
        return 'found it';
      },
    });
    host = new FleetHost({
      host: 'perm',
      nats: { connect: { servers: nats.url } },
      clients: [client],
      sessionDefaults: { tools: [lookup], handlerTimeouts: { permission: 1_500 } },
    });
    await host.start();
    fleet = await CopilotFleet.connect({ nats: { connect: { servers: nats.url } } });
  });

  afterAll(async () => {
    await fleet?.close();
    await host?.stop();
    await client?.stop();
    await sandbox?.dispose();
    await nats?.dispose();
  });

  const permissionResult = (events: SessionEvent[]) => events.find((e) => e.type === 'permission.completed');

  it('runs the tool once the consumer approved the prompt it was shown', async () => {
    const session = await fleet.createSession('perm');
    const asked: string[] = [];
    const events = await lastValueFrom(
      session.send('Look it up [[tool lookup {"q":"x"}]]').pipe(
        tap((e) => {
          if (e.type !== 'permission.requested') return;
          asked.push(e.data.requestId);
          void session.answerPermission(e.data.requestId, { kind: 'approve-once' });
        }),
        toArray(),
      ),
    );
    expect(asked).toHaveLength(1);
    expect(permissionResult(events)).toMatchObject({ data: { result: { kind: 'approved' } } });
    expect(lookups).toEqual([{ q: 'x' }]);
    // The prompt is settled: answering it again is refused.
    await expect(session.answerPermission(asked[0]!, { kind: 'approve-once' })).rejects.toMatchObject({ reason: 'NO_PENDING_PROMPT' });
  });

  it('denies the prompt when no operator answers before the deadline', async () => {
    const session = await fleet.createSession('perm');
    const before = lookups.length;
    const events = await lastValueFrom(session.send('Look again [[tool lookup {"q":"y"}]]').pipe(toArray()));
    expect(permissionResult(events)?.type).toBe('permission.completed');
    expect((permissionResult(events) as { data: { result: { kind: string } } }).data.result.kind).not.toBe('approved');
    expect(lookups.length).toBe(before);
    expect(events.filter((e) => e.type === 'permission.requested')).toHaveLength(1);
  });
});
