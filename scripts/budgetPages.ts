// The two pages of the weak-link budget, set up on a running server the way an organiser does:
// a watch link of a lecture that starts in an hour (the page's "waiting" state), and a kiosk link
// of a classroom (its idle screen with the site's name). See scripts/pageLoad.ts.
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser.js';
import { startServer, type RunningServer } from '../server/src/server.js';
import { testConfig, testLogger } from '../server/test/helpers.js';
import { apiRequest } from '../server/test/lectures.js';
import { measurePage, type PageFigures, type PageUnderTest } from './pageLoad.js';

const WAIT_MS = 60_000;
const SITE_NAME = 'Gədəbəy';

async function created(server: RunningServer, path: string, body: unknown) {
  const res = await apiRequest(server, 'POST', path, body);
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${res.body}`);
  return res.json;
}

export async function budgetPages(server: RunningServer): Promise<{ watch: PageUnderTest; kiosk: PageUnderTest }> {
  const lecture = await created(server, '/api/lectures', {
    title: 'Budget', scheduledStart: new Date(Date.now() + 3_600_000).toISOString(), trainerName: 'Dr. Aliyev', sites: [],
  });
  const site = await created(server, '/api/sites', { name: SITE_NAME });
  return {
    watch: {
      url: lecture.links.attendee as string,
      ready: async (page: Page) => {
        await page.getByTestId('display-name').fill('Nigar', { timeout: WAIT_MS });
        await page.getByTestId('join').click({ timeout: WAIT_MS });
        await page.locator('[data-testid="lecture-state"][data-state="waiting"]').waitFor({ timeout: WAIT_MS });
      },
    },
    kiosk: {
      url: site.kioskUrl as string,
      ready: (page: Page) => page.getByTestId('kiosk-site-name').filter({ hasText: SITE_NAME }).waitFor({ timeout: WAIT_MS }),
    },
  };
}

/** Both pages measured (scripts/pageLoad.ts: measurePage). */
export async function measureBudgetPages(server: RunningServer, browser: Browser, runs = 2): Promise<PageFigures[]> {
  const pages = await budgetPages(server);
  return [await measurePage(browser, 'watch', pages.watch, runs), await measurePage(browser, 'kiosk', pages.kiosk, runs)];
}

/** Both pages measured on a server and a Chromium of their own (temp folders, 127.0.0.1), then closed. */
export async function measureOnOwnServer(runs = 2): Promise<PageFigures[]> {
  const server = await startServer(testConfig(), testLogger());
  try {
    const browser = await launchChromium();
    try {
      return await measureBudgetPages(server, browser, runs);
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
  }
}
