// The admin page's classroom network in Chromium: the 18 centres imported from the example file
// with the "Import sites" button, the Network tab showing a kiosk come online and its link
// rotated (the old kiosk is refused at once), and a weekly course for "All 18" classrooms created
// from the form and shown in the schedule by day.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../server/src/config.js';
import { newPage, screenshot, waitForTestId } from './browser.js';
import { useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser({ MEDIASOUP_WORKERS: '1', KIOSK_POLL_SECONDS: '1' });

describe('the admin page: sites, Network tab, weekly course', () => {
  it('imports the sites, shows a kiosk online, rotates its link, and schedules a weekly course for all of them', async () => {
    const page = await newPage(ctx.browser, 'admin-network', { width: 1400, height: 900 });
    await page.goto(`${ctx.server.url}/admin?lang=en#token=${encodeURIComponent(ctx.server.adminToken)}`);
    await page.getByTestId('tab-network').click();
    await waitForTestId(page, 'network-tab');
    await page.getByTestId('import-sites-file').setInputFiles(path.join(REPO_ROOT, 'ops', 'sites.example.json'));
    await expect.poll(() => page.getByTestId('import-sites-result').textContent(), { timeout: 10_000 }).toBe('18 created, 0 already registered');
    await expect.poll(() => page.locator('[data-testid^="network-site-"]').count(), { timeout: 10_000 }).toBe(18);
    // Importing the same file again creates nothing.
    await page.getByTestId('import-sites-file').setInputFiles(path.join(REPO_ROOT, 'ops', 'sites.example.json'));
    await expect.poll(() => page.getByTestId('import-sites-result').textContent(), { timeout: 10_000 }).toBe('0 created, 18 already registered');

    // A kiosk opened with the link from the Network tab shows up online with its version.
    const kioskUrl = await page.getByTestId('kiosk-link-Sheki').inputValue();
    const kiosk = await newPage(ctx.browser, 'admin-network-kiosk');
    await kiosk.goto(kioskUrl);
    await waitForTestId(kiosk, 'kiosk-idle');
    const row = page.getByTestId('network-site-Sheki');
    await expect.poll(() => row.getAttribute('data-online'), { timeout: 15_000 }).toBe('true');
    expect(await page.getByTestId('network-online-Sheki').textContent()).toMatch(/online/);
    expect(await page.getByTestId('network-site-Baku').getAttribute('data-online')).toBe('false');
    expect(await page.getByTestId('network-summary').textContent()).toBe('1 of 18 online');
    await screenshot(page, 'admin-network-tab');

    // The kiosk's language is set in its row; the registry keeps it (the kiosk follows on its next poll).
    await page.getByTestId('site-language-Sheki').selectOption('ru');
    await expect.poll(async () => (await ctx.server.store.listSites()).find((s) => s.name === 'Sheki')?.language, { timeout: 10_000 }).toBe('ru');
    await expect.poll(() => page.getByTestId('site-language-Sheki').inputValue(), { timeout: 10_000 }).toBe('ru');
    expect(await page.getByTestId('site-language-Baku').inputValue()).toBe('');

    // Rotate: the old kiosk link is refused at once; the tab hands out the new one.
    await page.getByTestId('rotate-kiosk-Sheki').click();
    await page.getByTestId('confirm-rotate-Sheki').click();
    await expect.poll(() => page.getByTestId('kiosk-link-Sheki').inputValue(), { timeout: 10_000 }).not.toBe(kioskUrl);
    await waitForTestId(kiosk, 'kiosk-refused', false, 15_000);
    await kiosk.context().close();

    // A weekly course on Mondays and Wednesdays, 3 lectures, for all 18 classrooms.
    await page.getByTestId('tab-lectures').click();
    await page.getByTestId('lecture-title').fill('Budget law course');
    await page.getByTestId('lecture-start').fill('2030-03-04'); // a Monday
    await page.getByTestId('lecture-start-time').fill('10:00');
    await page.getByTestId('trainer-name').fill('Dr. Aliyev');
    await page.getByTestId('site-pick-all').check();
    expect(await page.getByTestId('site-pick-count').textContent()).toBe('18 classrooms selected');
    await page.getByTestId('site-pick-Baku').uncheck();
    expect(await page.getByTestId('site-pick-all').evaluate((e) => (e as HTMLInputElement).indeterminate)).toBe(true);
    await page.getByTestId('site-pick-all').check();
    await page.getByTestId('recurrence-weekly').check();
    await page.getByTestId('recurrence-day-MO').check();
    await page.getByTestId('recurrence-day-WE').check();
    await page.getByTestId('recurrence-count').fill('3');
    await page.getByTestId('create-lecture').click();
    await page.getByTestId('link-trainer').waitFor({ timeout: 10_000 });
    for (const day of ['2030-03-04', '2030-03-06', '2030-03-11']) await waitForTestId(page, `schedule-day-${day}`);
    // The form takes the browser's time zone (the same as this process's); the schedule shows Baku time.
    const baku = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Baku', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(2030, 2, 6, 10, 0));
    expect(await page.getByTestId('schedule-day-2030-03-06').textContent()).toMatch(new RegExp(`${baku}( \\(10:00 your time\\))? Budget law course.*18 classrooms.*weekly course`));
    await screenshot(page, 'admin-schedule-by-day');

    // The same tab in Azerbaijani and Russian (the catalogs' longest words must fit).
    for (const lang of ['az', 'ru']) {
      await page.goto(`${ctx.server.url}/admin?lang=${lang}`);
      await page.getByTestId('tab-network').click();
      await expect.poll(() => page.locator('[data-testid^="network-site-"]').count(), { timeout: 10_000 }).toBe(18);
      await screenshot(page, `admin-network-tab-${lang}`);
    }
  });
});
