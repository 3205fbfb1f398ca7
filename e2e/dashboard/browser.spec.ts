/**
 * The dashboard in headless Chromium, on the real Copilot CLI and the scripted model (offline): the
 * page loads alive, a turn started from it streams text and raises the token counter, a tool's
 * permission prompt is approved from it, a name rebound to 127.0.0.1 is refused, and a screenshot is
 * saved.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { requireSystemTool } from '../support/systemTools';
import { CHROMIUM, launchChromium, REBOUND_NAME, type Browser } from './support/chromium';
import { startLiveDashboard, type LiveDashboard } from './support/liveDashboard';

jest.setTimeout(180_000);

// Debian's chromium: skipped with a message where it is missing, a failure under CI=true.
const chromium = requireSystemTool('chromium', { install: 'apt-get install chromium', paths: [CHROMIUM] });

const screenshot = path.resolve(__dirname, '..', '..', '.copilot-state', 'screenshots', 'dashboard.png');

let live: LiveDashboard;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  live = await startLiveDashboard({ demo: true });
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
});
afterAll(async () => {
  await browser?.close();
  await live?.dispose();
});

const outputTokens = (card: string) =>
  page.locator(`#sessions tr[data-session-id="${card}"] [data-field="outputTokens"]`).textContent().then((text) => Number((text ?? '').replace(/,/g, '')));

chromium.describe('the dashboard page', () => {
  it('loads alive: the demo sessions, their states and the connection health', async () => {
    await page.goto(live.dashboard.url);
    await page.locator('#sessions tbody tr').nth(3).waitFor();
    await expect(page.locator('[data-health="stream"]').textContent()).resolves.toBe('live');
    await page.locator('[data-health="cli"]', { hasText: /^connected · 1\.\d+\.\d+ · pid \d+$/ }).waitFor();
    const labels = await page.locator('#sessions [data-field="label"]').allTextContents();
    expect(labels.sort()).toEqual(['Model error', 'Short answer', 'Streamed essay', 'Tool use']);
    const errorRow = page.locator('#sessions tr', { hasText: 'Model error' });
    await errorRow.locator('.state', { hasText: 'error' }).waitFor();
  });

  it('starts a turn in a new session: the text arrives and the token counter rises', async () => {
    const before = await page.locator('#cards .card').count();
    await page.getByRole('button', { name: 'New session' }).click();
    const card = page.locator('#cards .card').nth(before);
    await card.waitFor();
    const id = (await card.getAttribute('data-session-id'))!;

    await card.locator('textarea').fill('Tell me about observables [[chunks 300]] [[pace 25]]');
    await card.getByRole('button', { name: 'Send' }).click();

    await card.locator('.transcript .prompt', { hasText: 'Tell me about observables' }).waitFor();
    await card.locator('.transcript .answer', { hasText: 'Tell-1 me-2' }).waitFor();
    await page.locator(`#sessions tr[data-session-id="${id}"] .state`, { hasText: 'streaming' }).waitFor();
    const first = await outputTokens(id);
    expect(first).toBeGreaterThan(0);
    // Evaluated in the page, on every animation frame, until the counter has gone past `first`.
    await page.waitForFunction(
      ([sessionId, seen]) => {
        const { document } = globalThis as unknown as { document: { querySelector(selector: string): { textContent: string | null } | null } };
        const cell = document.querySelector(`#sessions tr[data-session-id="${sessionId}"] [data-field="outputTokens"]`);
        return Number(cell?.textContent?.replace(/,/g, '')) > seen;
      },
      [id, first] as const,
    );
    await card.locator('.transcript .answer', { hasText: 'observables-27' }).waitFor();
    expect(await outputTokens(id)).toBeGreaterThan(first);
  });

  it('shows a tool permission prompt, and approving it runs the tool and the answer uses its result', async () => {
    const card = page.locator('#cards .card', { has: page.locator('h2', { hasText: 'Tool use' }) });
    const prompt = card.locator('.permission');
    await prompt.waitFor();
    await expect(prompt.locator('code').textContent()).resolves.toBe('get_weather {"city":"Paris"}');
    await expect(card.locator('header .state').textContent()).resolves.toBe('waiting for permission');

    await prompt.getByRole('button', { name: 'Approve' }).click();

    await card.locator('.tools li', { hasText: 'succeeded' }).waitFor();
    await expect(card.locator('.tools li .result').textContent()).resolves.toBe('→ Sunny in Paris, 21C');
    await card.locator('.transcript .answer', { hasText: 'Tool get_weather returned: Sunny in Paris, 21C' }).waitFor();
    await expect(card.locator('.permission').count()).resolves.toBe(0);
    await card.locator('header .state', { hasText: 'idle' }).waitFor();
  });

  it('refuses the page under a name rebound to 127.0.0.1 (DNS rebinding), even with the token', async () => {
    const rebound = new URL(live.dashboard.url);
    rebound.hostname = REBOUND_NAME;
    const other = await browser.context.newPage();
    try {
      const response = await other.goto(rebound.href);
      expect(response?.status()).toBe(421);
      const { error } = JSON.parse(await response!.text()) as { error: { message: string } };
      expect(error.message).toContain(`the request was for host "${REBOUND_NAME}:${rebound.port}"`);
    } finally {
      await other.close();
    }
  });

  it('saves a screenshot', async () => {
    mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(readFileSync(screenshot).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pageErrors).toEqual([]);
  });
});
