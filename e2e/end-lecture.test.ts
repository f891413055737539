// End lecture in real Chromium: it sits apart from the recording controls and asks first, saying
// what happens (everyone leaves, the recording stops); Cancel and Escape change nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../server/test/helpers.js';
import { createTestLecture } from '../server/test/lectures.js';
import { expectVideoPlays, newPage, screenshot } from './browser.js';
import { expectState, useServerAndBrowser } from './fixture.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'teleclass-end-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const ctx = useServerAndBrowser({ MEDIASOUP_WORKERS: '1', DATA_DIR: dataDir });

describe('End lecture in Chromium', () => {
  it('asks first, naming what happens, then ends for everyone and stops the recording', async () => {
    const { lecture, links } = await createTestLecture(ctx.server, { title: 'Ending well', sites: ['Ganja'] });
    const trainer = await newPage(ctx.browser, 'trainer', { width: 1366, height: 768 });
    await trainer.goto(links.trainer);
    await expectVideoPlays(trainer, 'studio-preview');
    const site = await newPage(ctx.browser, 'site');
    await site.goto(links.sites[0]!.url);
    await trainer.getByTestId('go-live').click();
    await expectState(site, 'live');
    await trainer.getByTestId('record').click();
    await trainer.getByTestId('rec-badge').waitFor({ timeout: 10_000 });

    // Apart from Record: not among the studio's controls, and far from the Record button.
    const end = trainer.getByTestId('end-lecture');
    expect(await end.evaluate((el) => el.closest('.studio__controls') === null)).toBe(true);
    const [endBox, recordBox] = [await end.boundingBox(), await trainer.getByTestId('record').boundingBox()];
    expect(Math.hypot(endBox!.x - recordBox!.x, endBox!.y - recordBox!.y)).toBeGreaterThan(300);

    // The first click only asks; the dialog names the consequences.
    await end.click();
    const dialog = trainer.getByTestId('end-lecture-dialog');
    await dialog.waitFor();
    const text = await dialog.textContent();
    expect(text).toContain('End the lecture for everyone?');
    expect(text).toMatch(/Everyone leaves: 1 classroom and 0 attendees/);
    expect(await trainer.getByTestId('end-lecture-recording').textContent()).toMatch(/The recording stops/);
    await screenshot(trainer, 'end-1-dialog-recording');
    // Escape, like Cancel, keeps everything as it was.
    await trainer.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await end.click();
    await dialog.waitFor();
    await trainer.getByTestId('cancel-end-lecture').click();
    await dialog.waitFor({ state: 'hidden' });
    await expectState(site, 'live');
    expect(await trainer.getByTestId('rec-badge').count()).toBe(1);

    await end.click();
    await trainer.getByTestId('confirm-end-lecture').click();
    await expectState(site, 'ended');
    await expectState(trainer, 'ended');
    await trainer.getByTestId('rec-badge').waitFor({ state: 'detached', timeout: 10_000 });
    await waitFor(async () => (await ctx.server.store.listRecordings(lecture.id)).every((r) => r.status !== 'recording'), 10_000, 'the recording to stop');
    await screenshot(trainer, 'end-2-ended');
  });
});
