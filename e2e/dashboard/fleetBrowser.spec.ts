/**
 * The fleet mode's page in headless Chromium: two hosts (FleetHosts in this process, each with its own
 * fake agent process) on a real nats-server, and the dashboard on them. The page shows the hosts
 * table and the host column, creates a session on the host picked beside the button, streams its
 * answer, approves its permission prompt (a screenshot is saved then), and shows a stopped host down
 * with its sessions lost.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CopilotRxClient, defineTool } from '@copilot-rx/core';
import { CopilotFleet, FleetHost } from '@copilot-rx/fleet';
import { createCliSandbox, fakeAgentBinPath, type CliSandbox } from '@copilot-rx/testing';
import { brokerStates } from '../../apps/dashboard/src/fleet/brokerStates';
import { startFleetDashboard } from '../../apps/dashboard/src/fleet/startFleetDashboard';
import type { Dashboard } from '../../apps/dashboard/src/startDashboard';
import { natsServerTool, startNatsServer, type NatsServer } from '../fleet/natsServer';
import { requireSystemTool } from '../support/systemTools';
import { CHROMIUM, launchChromium, type Browser } from './support/chromium';

jest.setTimeout(180_000);

const screenshot = path.resolve(__dirname, '..', '..', '.copilot-state', 'screenshots', 'fleet-dashboard.png');

const chromium = requireSystemTool('chromium', { install: 'apt-get install chromium', paths: [CHROMIUM] });

interface Host {
  readonly sandbox: CliSandbox;
  readonly client: CopilotRxClient;
  readonly host: FleetHost;
}

async function startHost(name: string, nats: NatsServer, lookups: unknown[]): Promise<Host> {
  const sandbox = await createCliSandbox({ cliPath: fakeAgentBinPath });
  const client = new CopilotRxClient({ cliPath: sandbox.cliPath, cwd: sandbox.cwd, env: sandbox.env, logLevel: 'error' });
  const lookup = defineTool({
    name: 'lookup',
    description: 'Look something up',
    parameters: { type: 'object', properties: { q: { type: 'string' } } },
    handler: (args) => (lookups.push(args), `found it on ${name}`),
  });
  const host = new FleetHost({ host: name, nats: { connect: { servers: nats.url } }, clients: [client], sessionDefaults: { tools: [lookup] }, healthTtlMs: 3_000 });
  await host.start();
  return { sandbox, client, host };
}

async function stopHost(host: Host | undefined): Promise<void> {
  await host?.host.stop();
  await host?.client.stop();
  await host?.sandbox.dispose();
}

// Each tool skips (locally) or fails (under CI=true) with its own message when missing.
const both = chromium.path !== undefined && natsServerTool.path !== undefined ? describe : describe.skip;

both('the fleet dashboard page', () => {
  let nats: NatsServer;
  let alpha: Host;
  let beta: Host | undefined;
  let fleet: CopilotFleet;
  let dashboard: Dashboard;
  let browser: Browser;
  let page: Page;
  const lookups: unknown[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    [alpha, beta] = await Promise.all([startHost('alpha', nats, lookups), startHost('beta', nats, lookups)]);
    fleet = await CopilotFleet.connect({ nats: { connect: { servers: nats.url } } });
    dashboard = await startFleetDashboard(fleet, { broker$: brokerStates(fleet), log: () => undefined });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await fleet?.close();
    await Promise.all([stopHost(alpha), stopHost(beta)]);
    await nats?.dispose();
  });

  it('shows the hosts table, the broker and the host picker', async () => {
    await page.goto(dashboard.url);
    await page.locator('#hosts tbody tr').nth(1).waitFor();
    await expect(page.locator('#hosts').isVisible()).resolves.toBe(true);
    await expect(page.locator('#hosts tbody td:first-child').allTextContents()).resolves.toEqual(['alpha', 'beta']);
    await expect(page.locator('#hosts tbody .state').allTextContents()).resolves.toEqual(['up', 'up']);
    await page.locator('[data-health="mode"]', { hasText: 'fleet (2 of 2 hosts up)' }).waitFor();
    await page.locator('[data-health="cli"]', { hasText: `connected · 127.0.0.1:${nats.port}` }).waitFor();
    await expect(page.locator('[data-health-label="cli"]').textContent()).resolves.toBe('broker');
    await expect(page.locator('#new-session-host option').allTextContents()).resolves.toEqual(['alpha', 'beta']);
  });

  it('creates a session on the host picked, streams its answer and approves its prompt from the page', async () => {
    await page.locator('#new-session-host').selectOption('beta');
    await page.getByRole('button', { name: 'New session' }).click();
    const card = page.locator('#cards .card').first();
    await card.waitFor();
    await expect(card.locator('.host').textContent()).resolves.toBe('on beta');
    const id = (await card.getAttribute('data-session-id'))!;
    await expect(page.locator(`#sessions tr[data-session-id="${id}"] [data-field="host"]`).textContent()).resolves.toBe('beta');

    await card.locator('textarea').fill('Remote hello [[chunks 3]]');
    await card.getByRole('button', { name: 'Send' }).click();
    await card.locator('.transcript .answer', { hasText: 'Remote-1 hello-2 Remote-3' }).waitFor();

    await card.locator('textarea').fill('Look it up [[tool lookup {"q":"x"}]]');
    await card.getByRole('button', { name: 'Send' }).click();
    const prompt = card.locator('.permission');
    await prompt.waitFor();
    await prompt.getByRole('button', { name: 'Approve' }).click();
    await card.locator('.tools li', { hasText: 'succeeded' }).waitFor();
    await expect(card.locator('.tools li .result').textContent()).resolves.toBe('→ found it on beta');
    expect(lookups).toEqual([{ q: 'x' }]);
    await card.locator('header .state', { hasText: 'idle' }).waitFor();
    mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(readFileSync(screenshot).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });

  it('shows a host that stopped as down, its sessions as lost, and no longer offers it', async () => {
    await stopHost(beta);
    beta = undefined;
    await page.locator('#hosts tbody tr[data-host="beta"] .state', { hasText: 'down' }).waitFor();
    await page.locator('#cards .card header .state', { hasText: 'lost' }).waitFor();
    await expect(page.locator('#new-session-host option').allTextContents()).resolves.toEqual(['alpha']);
    await page.locator('[data-health="mode"]', { hasText: 'fleet (1 of 2 hosts up)' }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
