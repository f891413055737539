// One in-process server and one Chromium per browser-test file, closed after the file.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../server/src/server.js';
import { testConfig, testLogger } from '../server/test/helpers.js';
import { launchChromium } from './browser.js';

/**
 * The cap of a long browser test whose every step has its own deadline: room for their sum on a
 * slow machine (on a loaded box four such tests took 55–60 s, the suite's default cap).
 */
export const STEPS_TIMEOUT_MS = 150_000;

export function useServerAndBrowser(overrides: Record<string, string> = { MEDIASOUP_WORKERS: '2' }) {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer(testConfig(overrides), testLogger());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server(): RunningServer {
      if (!server) throw new Error('the server is not started yet');
      return server;
    },
    get browser(): Browser {
      if (!browser) throw new Error('Chromium is not launched yet');
      return browser;
    },
  };
}

/** Waits until the page's `lecture-state` badge says `state`. */
export async function expectState(page: Page, state: 'waiting' | 'live' | 'ended'): Promise<void> {
  await page.locator(`[data-testid="lecture-state"][data-state="${state}"]`).first().waitFor({ timeout: 20_000 });
}
