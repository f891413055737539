// The recording page loaded from a node that did not make the recording: two node processes on a
// real Redis and a real PostgreSQL, the recording's MP4 in baku's DATA_DIR, its viewing link
// opened on ganja in Chromium. The page's <video> asks ganja (its own origin: CSP media-src 'self',
// CORP same-origin), ganja passes the bytes on from baku (Range requests: the browser seeks), and
// the video plays and seeks. Then the admin page on ganja deletes it: the folder goes on baku.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPage, screenshot } from './browser.js';
import { createTestLectureOn } from '../server/test/fixtures/clusterLecture.js';
import { CLUSTER_ADMIN_TOKEN, ClusterNode, startClusterServices, startNodes, type ClusterServices } from '../server/test/fixtures/clusterNode.js';
import { queryDatabase } from '../server/test/fixtures/postgres.js';
import type { TestLecture } from '../server/test/lectures.js';
import { REPO_ROOT } from '../server/src/config.js';

let services: ClusterServices | undefined;
let baku: ClusterNode;
let ganja: ClusterNode;
let lecture: TestLecture;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(path.join(REPO_ROOT, 'client/dist/index.html'))) throw new Error('client/dist is missing: run `npm run build:client` first');
  services = await startClusterServices();
  baku = await ClusterNode.create('baku', services.shared, { NODE_REGION: 'baku' });
  ganja = await ClusterNode.create('ganja', services.shared, { NODE_REGION: 'ganja' });
  await startNodes([baku, ganja]);
  lecture = await createTestLectureOn(baku, { title: 'Recorded on Baku' });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const n of [baku, ganja]) await n?.kill();
  await services?.stop();
});

/** A composed 6 s recording made by baku: an MP4 (made once, before anything is measured) in baku's DATA_DIR, its row in the shared store. */
async function recordingOnBaku(): Promise<{ id: string; dir: string }> {
  const id = randomUUID();
  const dir = path.join(baku.dataDir, 'recordings', lecture.lecture.id, id);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'lecture.mp4');
  const made = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25', '-t', '6', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-movflags', '+faststart', file],
    { timeout: 60_000 },
  );
  if (made.status !== 0) throw new Error(`ffmpeg could not make the test MP4: ${made.stderr?.toString()}`);
  const now = Date.now();
  await queryDatabase(
    services!.databaseUrl,
    `INSERT INTO recordings (id, lecture_id, started_at, ended_at, status, dir, progress, output, output_bytes, created_at, node_id)
     VALUES ($1, $2, $3, $4, 'ready', $5, 100, 'lecture.mp4', $6, $7, 'baku')`,
    [id, lecture.lecture.id, now - 6_000, now, dir, statSync(file).size, now],
  );
  return { id, dir };
}

describe('the recording page on a node that did not make the recording', () => {
  it("plays and seeks the video through its own node; the admin page there deletes it on baku's disk", async () => {
    const { id, dir } = await recordingOnBaku();
    const detail = await ganja.request('GET', `/api/recordings/${id}`, { token: CLUSTER_ADMIN_TOKEN });
    expect(detail.status).toBe(200);
    const viewUrl = (detail.json as { viewUrl: string }).viewUrl;
    expect(viewUrl.startsWith(ganja.url)).toBe(true);

    const viewer = await newPage(browser!, 'cluster-playback');
    await viewer.goto(viewUrl);
    const video = viewer.getByTestId('recording-video');
    await video.waitFor({ timeout: 15_000 });
    expect(await video.getAttribute('src')).toMatch(new RegExp(`^/api/recordings/${id}/video\\?token=`));
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState >= 1 && Math.round(v.duration)), { timeout: 20_000 })
      .toBe(6);
    // Seeking asks for a Range: ganja passes it on to baku.
    await video.evaluate((v: HTMLVideoElement) => {
      v.muted = true;
      v.currentTime = 3;
      return v.play();
    });
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThanOrEqual(3.5);
    expect(await video.evaluate((v: HTMLVideoElement) => v.error?.code ?? null)).toBeNull();
    await screenshot(viewer, 'cluster-recording-playback');

    // The admin page's delete goes to ganja with its Authorization header; ganja has baku remove the folder.
    const admin = await newPage(browser!, 'cluster-admin');
    await admin.goto(`${ganja.url}/admin`);
    const status = await admin.evaluate(
      async ({ id, token }) => (await fetch(`/api/recordings/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status,
      { id, token: CLUSTER_ADMIN_TOKEN },
    );
    expect(status).toBe(204);
    expect(existsSync(dir)).toBe(false);
  }, 90_000);
});
