// Recording in real Chromium: the trainer goes live and records; the classroom kiosk, the studio
// and an attendee show the red REC badge while it runs (and not after); the admin page lists the
// recording with its status once the trainer has stopped it. Then a composed recording (raw files made by ffmpeg,
// composed by the server's queue): the admin's Watch / Download / Copy, the playback page with
// its chapters, and the playback page's messages for a bad link.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../server/test/helpers.js';
import { createTestLecture } from '../server/test/lectures.js';
import { storedRecording } from '../server/test/recordingFixtures.js';
import { expectVideoPlays, newPage, screenshot } from './browser.js';
import { expectState, useServerAndBrowser } from './fixture.js';

// DATA_DIR is known here so that the second test can put a recording's raw files into it.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'teleclass-recording-ui-'));
// Registered first, so it runs after the fixture has closed the server (after-hooks run in reverse).
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const ctx = useServerAndBrowser({ MEDIASOUP_WORKERS: '2', DATA_DIR: dataDir });

describe('recording a lecture in Chromium', () => {
  it('record → REC on the kiosk and in the studio → stop → the admin lists the recording', async () => {
    const { links } = await createTestLecture(ctx.server, { title: 'Recorded law', sites: ['Ganja'] });
    const trainer = await newPage(ctx.browser, 'trainer');
    await trainer.goto(links.trainer);
    await expectVideoPlays(trainer, 'studio-preview');
    const record = trainer.getByTestId('record');
    await expect.poll(() => record.isDisabled(), { timeout: 10_000 }).toBe(true); // not live yet
    expect(await record.textContent()).toBe('Record');

    const site = await newPage(ctx.browser, 'site');
    await site.goto(links.sites[0]!.url);
    await expectState(site, 'waiting');
    expect(await site.getByTestId('rec-badge').count()).toBe(0);

    await trainer.getByTestId('go-live').click();
    await expectState(trainer, 'live');
    await expectVideoPlays(site, 'lecture-video');
    await expect.poll(() => record.isEnabled(), { timeout: 10_000 }).toBe(true);

    await record.click();
    await expect.poll(() => record.textContent(), { timeout: 10_000 }).toBe('Stop recording');
    const studioBadge = trainer.getByTestId('rec-badge');
    await studioBadge.waitFor({ timeout: 10_000 });
    const siteBadge = site.getByTestId('rec-badge');
    await siteBadge.waitFor({ timeout: 10_000 });
    expect(await siteBadge.textContent()).toMatch(/^REC \d{2}:\d{2}$/);

    // The kiosk's badge is small and in a corner: it stays off the middle of the picture.
    const box = await siteBadge.boundingBox();
    const viewport = site.viewportSize()!;
    expect(box).not.toBeNull();
    expect(box!.width).toBeLessThan(viewport.width / 4);
    expect(box!.y + box!.height).toBeLessThan(viewport.height / 4);
    expect(box!.x).toBeGreaterThan(viewport.width / 2);

    // An attendee joining while it records sees it too.
    const attendee = await newPage(ctx.browser, 'attendee');
    await attendee.goto(links.attendee);
    await attendee.getByTestId('display-name').fill('Leyla');
    await attendee.getByTestId('join').click();
    const watchBadge = attendee.getByTestId('rec-badge');
    await watchBadge.waitFor({ timeout: 20_000 });

    // The clock runs.
    const first = await siteBadge.textContent();
    await expect.poll(() => siteBadge.textContent(), { timeout: 5_000 }).not.toBe(first);
    await trainer.waitForTimeout(1500); // a little media in the raw files
    await screenshot(site, 'recording-1-site-rec');
    await screenshot(trainer, 'recording-2-studio-rec');

    await record.click();
    await expect.poll(() => record.textContent(), { timeout: 15_000 }).toBe('Record');
    // Enabled again once the stop is answered (the REC badges go with the notification, a bit earlier).
    await expect.poll(() => record.isEnabled(), { timeout: 15_000 }).toBe(true);
    await siteBadge.waitFor({ state: 'detached', timeout: 10_000 });
    await studioBadge.waitFor({ state: 'detached', timeout: 10_000 });
    await watchBadge.waitFor({ state: 'detached', timeout: 10_000 });

    // The organiser sees it in the selected lecture's recordings, with a status.
    const admin = await newPage(ctx.browser, 'admin');
    await admin.goto(`${ctx.server.url}/admin#token=${encodeURIComponent(ctx.server.adminToken)}`);
    await admin.getByTestId('lecture-list').getByText('Recorded law').click();
    const section = admin.getByTestId('recordings');
    await section.waitFor({ timeout: 10_000 });
    const row = section.getByTestId('recording-row');
    await row.first().waitFor({ timeout: 10_000 });
    expect(await row.count()).toBe(1);
    // The list is asked again every 2 s while a recording is written or processed.
    await expect.poll(() => row.first().getAttribute('data-status'), { timeout: 10_000 }).not.toBe('recording');
    const status = await row.first().getAttribute('data-status');
    expect(['stopped', 'interrupted', 'processing', 'ready', 'failed']).toContain(status);
    expect(await row.first().getByTestId('recording-status').textContent()).toMatch(/Stopped|Interrupted|Processing|Ready|Failed/);
    expect(await row.first().getByTestId('recording-duration').textContent()).toMatch(/^0:00:\d{2}$/);
    expect(await row.first().getByTestId('recording-size').textContent()).toMatch(/^\d+(\.\d)? MB$/);
    await section.scrollIntoViewIfNeeded();
    await screenshot(admin, `recording-3-admin-${status}`);
  });

  it('a composed recording: progress, then Watch, Download and Copy; the playback page plays and seeks by chapter', async () => {
    const { lecture } = await createTestLecture(ctx.server, { title: 'Composed law', sites: ['Ganja'] });
    const stored = await storedRecording(ctx.server.store, dataDir, lecture.id);
    await ctx.server.recordings.enqueue(stored.id);

    const admin = await newPage(ctx.browser, 'admin-ready');
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ctx.server.url });
    await admin.goto(`${ctx.server.url}/admin#token=${encodeURIComponent(ctx.server.adminToken)}`);
    await admin.getByTestId('lecture-list').getByText('Composed law').click();
    const row = admin.getByTestId('recordings').getByTestId('recording-row').first();
    await row.waitFor({ timeout: 10_000 });
    // Polled every 2 s while processing: it turns ready by itself.
    // (The queue composes the first test's recording first: one job at a time.)
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 120_000 }).toBe('ready');
    expect(await row.getByTestId('recording-duration').textContent()).toBe('0:00:10');
    const watch = row.getByTestId('recording-watch');
    await watch.waitFor({ timeout: 10_000 });
    const viewUrl = (await watch.getAttribute('href'))!;
    expect(viewUrl).toMatch(new RegExp(`/recordings/${stored.id}\\?token=`));
    const download = await row.getByTestId('recording-download').getAttribute('href');
    expect(download).toMatch(new RegExp(`^/api/recordings/${stored.id}/video\\?download=1&token=`));
    const head = await admin.evaluate(async (url) => {
      const res = await fetch(url, { headers: { range: 'bytes=0-99' } });
      return { status: res.status, disposition: res.headers.get('content-disposition'), type: res.headers.get('content-type') };
    }, download!);
    expect(head).toMatchObject({ status: 206, type: 'video/mp4' });
    expect(head.disposition).toMatch(/attachment.*Composed law/);
    await row.getByTestId('copy-recording-link').click();
    await expect.poll(() => row.getByTestId('copy-recording-link').textContent()).toMatch(/Copied|Select and copy/);
    await screenshot(admin, 'recording-4-admin-ready');

    // The viewing link, opened by anyone.
    const viewer = await newPage(ctx.browser, 'playback');
    await viewer.goto(viewUrl.replace(/^https:\/\/[^/]+/, ctx.server.url));
    await viewer.getByTestId('recording-title').filter({ hasText: 'Composed law' }).waitFor({ timeout: 10_000 });
    const video = viewer.getByTestId('recording-video');
    expect(await video.getAttribute('src')).toMatch(new RegExp(`^/api/recordings/${stored.id}/video\\?token=`));
    expect(await video.locator('track[kind="chapters"]').getAttribute('src')).toMatch(/chapters\.vtt\?token=/);
    const chapters = viewer.getByTestId('chapter');
    await expect.poll(() => chapters.count()).toBe(4);
    // Stored as a kind and a name; the page (English here) puts it into words.
    expect(await chapters.nth(2).textContent()).toContain('Floor: Gəncə');
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState >= 1 && Math.round(v.duration)), { timeout: 15_000 })
      .toBe(10);
    await chapters.nth(2).click();
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 5_000 }).toBeGreaterThanOrEqual(6);
    expect(await chapters.nth(2).getAttribute('aria-current')).toBe('true');
    await screenshot(viewer, 'recording-5-playback');

    // A bad link says so.
    const bad = await newPage(ctx.browser, 'playback-bad');
    await bad.goto(`${ctx.server.url}/recordings/${stored.id}?token=not-a-token`);
    await bad.getByTestId('recording-problem').filter({ hasText: 'not valid' }).waitFor({ timeout: 10_000 });
    await bad.goto(`${ctx.server.url}/recordings/00000000-0000-4000-8000-000000000000?token=x`);
    await bad.getByTestId('recording-problem').waitFor({ timeout: 10_000 });

    // Delete, with a confirmation.
    await row.getByTestId('delete-recording').click();
    await row.getByTestId('confirm-delete-recording').click();
    await admin.getByTestId('recordings-empty').waitFor({ timeout: 10_000 });
    await waitFor(async () => await ctx.server.store.getRecording(stored.id) === undefined, 5000, 'the record to go');
  }, 180_000);

  it('a ready recording the check found black in: the admin sees "Ready, with a warning" and why', async () => {
    const { lecture } = await createTestLecture(ctx.server, { title: 'Warned law', sites: [] });
    const { store } = ctx.server;
    const r = await store.createRecording({ lectureId: lecture.id, dir: path.join(dataDir, 'recordings', 'warned'), startedAt: Date.now() - 400_000 });
    await store.updateRecording(r.id, {
      status: 'ready', progress: 100, endedAt: r.startedAt + 368_000, output: 'recording.mp4',
      warnings: [{ kind: 'black', blackMs: 303_000, spans: [{ fromMs: 65_000, toMs: 368_000 }] }],
    });
    const admin = await newPage(ctx.browser, 'admin-warning');
    await admin.goto(`${ctx.server.url}/admin#token=${encodeURIComponent(ctx.server.adminToken)}`);
    await admin.getByTestId('lecture-list').getByText('Warned law').click();
    const row = admin.getByTestId('recordings').getByTestId('recording-row').first();
    await row.waitFor({ timeout: 10_000 });
    await expect.poll(() => row.getByTestId('recording-status').textContent(), { timeout: 10_000 }).toBe('Ready, with a warning');
    expect(await row.getByTestId('recording-warning').textContent()).toBe(
      'The picture is black for 5 min 03 s while the camera or slides were on, first at 1:05.',
    );
    await screenshot(admin, 'recording-5-admin-warning');
  });
});
