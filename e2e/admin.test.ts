// The organiser's page in real Chromium: the admin token from the address's hash, a lecture
// created with the form, and every link with Copy and Open.
import { describe, expect, it } from 'vitest';
import { newPage, screenshot } from './browser.js';
import { useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser({});

describe('the admin page in Chromium', () => {
  it('creates a lecture from the form and shows its links with Copy buttons', async () => {
    const page = await newPage(ctx.browser, 'admin');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ctx.server.url });
    await page.goto(`${ctx.server.url}/admin#token=${encodeURIComponent(ctx.server.adminToken)}`);
    // The token leaves the address bar and is kept.
    await expect.poll(() => new URL(page.url()).hash).toBe('');
    expect(await page.evaluate(() => localStorage.getItem('teleclass.adminToken'))).toBe(ctx.server.adminToken);

    await page.getByTestId('lecture-title').fill('Budget law 2026');
    expect(await page.getByTestId('lecture-start').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Times are typed and shown on the 24-hour clock, whatever the browser's language.
    await page.getByTestId('lecture-start-time').fill('2030');
    await page.getByTestId('lecture-start').fill('2030-03-02');
    await page.getByTestId('trainer-name').fill('Dr. Aliyev');
    expect(await page.getByTestId('lecture-sites').getAttribute('placeholder')).toBe('Ganja\nNakhchivan\nSumgait');
    await page.getByTestId('lecture-sites').fill('Ganja\nSheki\n');
    await page.getByTestId('lecture-auto-record').check();
    expect(await page.getByTestId('lecture-language').inputValue()).toBe('az'); // Azerbaijani unless chosen
    await page.getByTestId('lecture-language').selectOption('ru');
    await page.getByTestId('create-lecture').click();

    const trainerLink = page.getByTestId('link-trainer');
    await trainerLink.waitFor({ timeout: 10_000 });
    expect(await trainerLink.inputValue()).toMatch(/\/studio\/[a-z0-9-]+\?token=/);
    expect(await page.getByTestId('link-site-Ganja').inputValue()).toMatch(/\/site\/[a-z0-9-]+\?token=/);
    expect(await page.getByTestId('link-site-Sheki').inputValue()).toMatch(/\/site\/[a-z0-9-]+\?token=/);
    const attendeeUrl = await page.getByTestId('link-attendee').inputValue();
    expect(attendeeUrl).toMatch(/\/watch\/[a-z0-9-]+\?token=/);
    for (const id of ['trainer', 'site-Ganja', 'site-Sheki', 'attendee']) {
      expect(await page.getByTestId(`copy-${id}`).count()).toBe(1);
      expect(await page.getByTestId(`open-${id}`).getAttribute('href')).toBe(await page.getByTestId(`link-${id}`).inputValue());
    }
    await page.getByTestId('lecture-list').getByText('Budget law 2026').waitFor();
    // 20:30 local, never "8:30 PM"; and the API got "Record automatically".
    const meta = await page.getByTestId('selected-lecture').locator('.admin__meta').textContent();
    expect(meta).toMatch(/2030.*20:30/);
    expect(meta).not.toMatch(/AM|PM/);
    expect(await page.getByTestId('lecture-list').textContent()).toMatch(/20:30/);
    const created = (await ctx.server.store.listLectures()).find((l) => l.title === 'Budget law 2026');
    expect(created?.autoRecord).toBe(true);
    expect(created?.language).toBe('ru'); // the composed MP4's chapter titles
    expect(new Date(created!.scheduledStart).getHours()).toBe(20);

    await page.getByTestId('copy-attendee').click();
    await expect.poll(() => page.getByTestId('copy-attendee').textContent()).toMatch(/Copied|Select and copy/);
    if ((await page.getByTestId('copy-attendee').textContent())?.includes('Copied')) {
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(attendeeUrl);
    }
    await screenshot(page, 'admin-1-created');

    // The attendee link works: it leads to the name form.
    const watch = await newPage(ctx.browser, 'watch');
    await watch.goto(attendeeUrl);
    await watch.getByTestId('display-name').waitFor();
  });

  it('says so when the admin token is wrong', async () => {
    const page = await newPage(ctx.browser, 'admin-wrong');
    await page.goto(`${ctx.server.url}/admin`);
    await page.getByTestId('admin-token').fill('not-the-token-at-all');
    await page.getByTestId('use-token').click();
    const error = page.getByTestId('admin-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toMatch(/token/i);
    // Only that: no lecture list saying "No lecture yet", no form that cannot work.
    expect(await page.getByText('No lecture yet').count()).toBe(0);
    expect(await page.getByTestId('create-lecture').count()).toBe(0);
    await screenshot(page, 'admin-2-wrong-token');
  });
});
