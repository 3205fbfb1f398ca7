/**
 * Debian's chromium, driven by playwright-core (never a downloaded browser), headless, offline and in
 * a fresh profile. `.ci/run` installs the package where it is missing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Resolved by this browser to 127.0.0.1 (and by nothing else: `.test` is reserved for tests). */
export const REBOUND_NAME = 'rebound.test';

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'copilot-rx-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // A name that resolves to this machine, as a DNS-rebinding attacker's would: the page served
      // under it must be refused.
      `--host-resolver-rules=MAP ${REBOUND_NAME} 127.0.0.1`,
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
