/**
 * The dashboard's fleet mode on a real nats-server: host `alpha` runs in this process (its CLI is the
 * fake agent; its `lookup` tool is a function here, so a prompt's approval can be seen to run it),
 * host `beta` is a `copilot-rx-host` process. The dashboard reaches both only through the broker, and
 * the test acts only through the dashboard's HTTP API, as the page does, and reads the state the page
 * is sent. Last, `npm start -- --fleet URL` as a process serves the same view.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { filter, firstValueFrom, map, timeout } from 'rxjs';
import { CopilotRxClient, defineTool } from '@copilot-rx/core';
import { CopilotFleet, FleetHost } from '@copilot-rx/fleet';
import { createCliSandbox, fakeAgentBinPath, type CliSandbox } from '@copilot-rx/testing';
import { brokerStates } from '../../apps/dashboard/src/fleet/brokerStates';
import { startFleetDashboard } from '../../apps/dashboard/src/fleet/startFleetDashboard';
import type { DashboardState, SessionView } from '../../apps/dashboard/src/model/view';
import type { Dashboard } from '../../apps/dashboard/src/startDashboard';
import { spawnHost, type HostProcess } from '../fleet/hostProcess';
import { natsServerTool, startNatsServer, type NatsServer } from '../fleet/natsServer';
import { buildApp, startApp } from './support/builtApp';

jest.setTimeout(240_000);

interface Reply {
  readonly status: number;
  readonly body: string;
}

function post(dashboard: Dashboard, path: string, body: unknown): Promise<Reply> {
  const url = new URL(dashboard.url);
  return new Promise((resolve, reject) => {
    const req = http.request(`${url.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-access-token': url.searchParams.get('token')! } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += String(chunk)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** The first state (now or later) for which `pick` gives a value; a timeout naming `what` otherwise. */
function until<T>(dashboard: Dashboard, what: string, pick: (state: DashboardState) => T | undefined | false, ms = 30_000): Promise<T> {
  return firstValueFrom(
    dashboard.store.updates().pipe(
      map(() => pick(dashboard.store.state)),
      filter((value): value is T => value !== undefined && value !== false),
      timeout({ first: ms, with: () => Promise.reject(new Error(`timed out after ${ms} ms waiting for ${what}: ${JSON.stringify(dashboard.store.state).slice(0, 2000)}`)) }),
    ),
  );
}

const sessionIn = (state: DashboardState, id: string): SessionView | undefined => state.sessions.find((s) => s.id === id);
const answerOf = (session: SessionView | undefined) => session?.transcript.flatMap((e) => (e.kind === 'answer' ? [e.text] : [])).join('\n') ?? '';

natsServerTool.describe('the dashboard in fleet mode', () => {
  let nats: NatsServer;
  let sandbox: CliSandbox;
  let client: CopilotRxClient;
  let alpha: FleetHost;
  let beta: HostProcess;
  let fleet: CopilotFleet;
  let dashboard: Dashboard;
  let journalDir: string;
  const lookups: unknown[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    journalDir = mkdtempSync(path.join(tmpdir(), 'copilot-rx-fleet-dashboard-'));
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
    alpha = new FleetHost({ host: 'alpha', nats: { connect: { servers: nats.url } }, clients: [client], sessionDefaults: { tools: [lookup] } });
    await alpha.start();
    beta = await spawnHost({ url: nats.url, name: 'beta', cliPath: fakeAgentBinPath, journalDir, healthTtlMs: 3_000 });
    fleet = await CopilotFleet.connect({ nats: { connect: { servers: nats.url } } });
    dashboard = await startFleetDashboard(fleet, { broker$: brokerStates(fleet), log: () => undefined });
  });

  afterAll(async () => {
    await dashboard?.close();
    await fleet?.close();
    await beta?.kill();
    await alpha?.stop();
    await client?.stop();
    await sandbox?.dispose();
    await nats?.dispose();
    if (journalDir) rmSync(journalDir, { recursive: true, force: true });
  });

  const create = async (host: string): Promise<string> => {
    const reply = await post(dashboard, '/api/sessions', { host });
    expect(reply.status).toBe(201);
    return (JSON.parse(reply.body) as { sessionId: string }).sessionId;
  };

  it('shows both hosts up, the broker connected, and a session created from the page on each host', async () => {
    await until(dashboard, 'both hosts up', (state) => state.hosts.filter((h) => h.up).length === 2);
    expect(dashboard.store.state.hosts.map((h) => h.host)).toEqual(['alpha', 'beta']);
    expect(dashboard.store.state.health).toMatchObject({ mode: 'fleet', cli: 'connected', broker: `127.0.0.1:${nats.port}` });
    const [onAlpha, onBeta] = [await create('alpha'), await create('beta')];
    expect(onAlpha).toMatch(/^alpha\./);
    const shown = await until(dashboard, 'both sessions idle', (state) => {
      const both = [sessionIn(state, onAlpha), sessionIn(state, onBeta)];
      return both.every((s) => s?.remoteState === 'idle') && both;
    });
    expect(shown.map((s) => s!.host)).toEqual(['alpha', 'beta']);
    // Two hosts are up: a create that names none is refused, saying which to choose from.
    const unnamed = await post(dashboard, '/api/sessions', {});
    expect(unnamed.status).toBe(400);
    expect(unnamed.body).toContain('alpha, beta');
  });

  it("streams a remote host's answer to a prompt sent from the page", async () => {
    const id = await create('beta');
    expect((await post(dashboard, `/api/sessions/${encodeURIComponent(id)}/turns`, { prompt: 'Remote hello [[chunks 3]]' })).status).toBe(202);
    const text = await until(dashboard, 'the answer', (state) => answerOf(sessionIn(state, id)) === 'Remote-1 hello-2 Remote-3' && sessionIn(state, id));
    expect(text.transcript[0]).toEqual({ kind: 'prompt', text: 'Remote hello [[chunks 3]]' });
  });

  it("shows a host's permission prompt, and approving it in the page runs the host's tool", async () => {
    const id = await create('alpha');
    await post(dashboard, `/api/sessions/${encodeURIComponent(id)}/turns`, { prompt: 'Look it up [[tool lookup {"q":"x"}]]' });
    const [prompt] = await until(dashboard, 'the permission prompt', (state) => (sessionIn(state, id)?.permissions.length ?? 0) > 0 && sessionIn(state, id)!.permissions);
    expect(prompt).toMatchObject({ kind: 'custom-tool', summary: expect.stringContaining('lookup') });
    expect(lookups).toEqual([]);
    const approved = await post(dashboard, `/api/sessions/${encodeURIComponent(id)}/permissions/${encodeURIComponent(prompt!.requestId)}`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    await until(dashboard, 'the tool to succeed', (state) => sessionIn(state, id)?.tools.some((t) => t.name === 'lookup' && t.status === 'succeeded'));
    expect(lookups).toEqual([{ q: 'x' }]);
    // Answered once: a second answer finds nothing pending on the host.
    const again = await post(dashboard, `/api/sessions/${encodeURIComponent(id)}/permissions/${encodeURIComponent(prompt!.requestId)}`, { decision: 'approve' });
    expect(again.status).toBe(409);
  });

  it("aborts a remote turn from the page", async () => {
    const id = await create('beta');
    await post(dashboard, `/api/sessions/${encodeURIComponent(id)}/turns`, { prompt: 'Wait forever [[hang]]' });
    await until(dashboard, 'the turn to stream', (state) => sessionIn(state, id)?.row.activity === 'streaming');
    expect((await post(dashboard, `/api/sessions/${encodeURIComponent(id)}/abort`, {})).status).toBe(202);
    await until(dashboard, 'the abort notice', (state) => sessionIn(state, id)?.transcript.some((e) => e.kind === 'notice' && e.text.startsWith('Aborted')));
  });

  it('gives a dashboard started later the same sessions and transcripts, replayed from the stream', async () => {
    const late = await startFleetDashboard(fleet, { broker$: brokerStates(fleet), log: () => undefined });
    try {
      const ids = dashboard.store.state.sessions.map((s) => s.id);
      await until(late, 'every session replayed', (state) => ids.every((id) => answerOf(sessionIn(state, id)) === answerOf(sessionIn(dashboard.store.state, id))));
      expect(late.store.state.sessions.map((s) => s.id).sort()).toEqual([...ids].sort());
    } finally {
      await late.close();
    }
  });

  it("shows a host killed with SIGKILL as down within its TTL, and its sessions as lost", async () => {
    const onBeta = dashboard.store.state.sessions.filter((s) => s.host === 'beta').map((s) => s.id);
    expect(onBeta.length).toBeGreaterThan(0);
    await beta.kill();
    await until(dashboard, 'beta down', (state) => state.hosts.find((h) => h.host === 'beta')?.up === false, 15_000);
    expect(dashboard.store.state.hosts.find((h) => h.host === 'beta')).toMatchObject({ downReason: 'expired' });
    await until(dashboard, "beta's sessions lost", (state) => onBeta.every((id) => sessionIn(state, id)?.remoteState === 'lost'));
    // The host alpha and its sessions are untouched; a create now has one host to go to.
    expect(dashboard.store.state.sessions.filter((s) => s.host === 'alpha').every((s) => s.remoteState !== 'lost')).toBe(true);
    expect((await post(dashboard, '/api/sessions', {})).status).toBe(201);
  });
});

natsServerTool.describe('npm start -- --fleet URL', () => {
  beforeAll(buildApp);

  it('serves the fleet view of a broker, with no CLI of its own, until Ctrl-C', async () => {
    const nats = await startNatsServer();
    const dir = mkdtempSync(path.join(tmpdir(), 'copilot-rx-fleet-app-'));
    const host = await spawnHost({ url: nats.url, name: 'gamma', cliPath: fakeAgentBinPath, journalDir: dir });
    const app = startApp(['--fleet', nats.url]);
    try {
      const [, url] = await app.waitFor('stdout', /copilot-rx dashboard: open (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)\n/);
      await app.waitFor('stderr', new RegExp(`watching the fleet at ${nats.url.replace(/[.]/g, '\\.')}`));
      expect(app.stderr()).not.toMatch(/Copilot CLI/);
      const snapshot = await new Promise<{ kind: string; state: DashboardState }>((resolve, reject) => {
        const events = new URL(url!);
        http
          .get(`${events.origin}/events?token=${events.searchParams.get('token')}`, (res) => {
            let text = '';
            res.on('data', (chunk) => {
              text += String(chunk);
              const line = /^data: (.*)$/m.exec(text);
              if (line) {
                res.destroy();
                resolve(JSON.parse(line[1]!) as { kind: string; state: DashboardState });
              }
            });
          })
          .on('error', reject);
      });
      expect(snapshot.kind).toBe('snapshot');
      expect(snapshot.state.health.mode).toBe('fleet');
      app.child.kill('SIGINT');
      await expect(app.exited).resolves.toBe(0);
    } finally {
      app.child.kill('SIGKILL');
      await host.kill();
      await nats.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which broker it cannot reach, and exits 1', async () => {
    const app = startApp(['--fleet', 'nats://127.0.0.1:1']);
    await expect(app.exited).resolves.toBe(1);
    expect(app.stderr()).toMatch(/Cannot connect to the fleet's NATS server \(nats:\/\/127\.0\.0\.1:1\)/);
  });
});
