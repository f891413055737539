// Self-healing in real Chromium against a real server child process: a live lecture (trainer with a
// fake camera, one classroom kiosk) survives a cut socket (it resumes: same participant, same
// track), the death of the only media worker and a SIGKILL + restart of the whole server (the
// resume is refused, the kiosk joins again), with no click on any page. Each case logs
// `RECOVERY <case> <ms> ms`: for the cut socket the time until the session is back, otherwise
// from the failure (or from the server listening again) until the kiosk decodes frames of a NEW
// video track.
import { execFileSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectVideoPlays, launchChromium, screenshot, waitForTestId } from './browser.js';
import { openLiveLecture } from './lectureOver.js';
import { ServerProcess } from './serverProcess.js';

let server: ServerProcess;
let browser: Browser;
let trainer: Page;
let site: Page;

interface Probe {
  track: string | null;
  live: boolean;
  width: number;
  frames: number;
}

/** The kiosk's lecture video: which track it shows, whether that track is live, frames decoded. */
function probe(page: Page): Promise<Probe> {
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="lecture-video"]');
    const track = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0];
    return {
      track: track?.id ?? null,
      live: track?.readyState === 'live',
      width: video?.videoWidth ?? 0,
      frames: video?.getVideoPlaybackQuality().totalVideoFrames ?? 0,
    };
  });
}

/**
 * Waits until the kiosk plays a video track other than `oldTrack` (live, sized, 5 new frames
 * decoded) and returns the milliseconds since `since`. Frames of the frozen last picture never count.
 */
async function recoveryTime(page: Page, oldTrack: string | null, since: number, timeoutMs: number): Promise<number> {
  let base: Probe | null = null;
  for (;;) {
    const now = await probe(page);
    if (now.track && now.track !== oldTrack && now.live && now.width > 0) {
      if (!base || base.track !== now.track || now.frames < base.frames) base = now;
      else if (now.frames >= base.frames + 5) return Date.now() - since;
    }
    if (Date.now() - since > timeoutMs) throw new Error(`no new video within ${timeoutMs} ms: ${JSON.stringify({ oldTrack, now })}`);
    await page.waitForTimeout(50);
  }
}

const sessionState = (page: Page) =>
  page.evaluate(() => {
    const s = (window as unknown as { teleclass?: { session: { state: Record<string, unknown> } } }).teleclass?.session.state;
    return s ? { phase: s['phase'], connection: s['connection'], publishing: s['publishing'], reconnecting: s['reconnecting'] } : null;
  });

/** Both pages are back to normal: the kiosk plays, the banner is gone, the trainer is on air. */
async function expectSettled(): Promise<void> {
  await expectVideoPlays(site, 'lecture-video', 15_000);
  await waitForTestId(site, 'reconnecting', true, 15_000);
  await waitForTestId(trainer, 'reconnecting', true, 15_000);
  await expect.poll(() => sessionState(trainer), { timeout: 15_000 }).toMatchObject({ connection: 'connected', publishing: true, reconnecting: false });
  await expect.poll(() => sessionState(site), { timeout: 15_000 }).toMatchObject({ phase: 'joined', connection: 'connected', reconnecting: false });
}

/** The mediasoup worker processes of the server (children of its node process). */
function workerPids(): number[] {
  try {
    const out = execFileSync('pgrep', ['-P', String(server.pid), '-f', 'mediasoup-worker'], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

beforeAll(async () => {
  // One worker: it serves everyone, so killing it resets the media of both pages.
  server = await ServerProcess.create({ MEDIASOUP_WORKERS: '1' });
  await server.start();
  browser = await launchChromium();
  ({ trainer, site } = await openLiveLecture(server, browser, 'Resilient networks'));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a kiosk heals itself, with no click', () => {
  it('(c) the kiosk socket is cut: it resumes as the same participant, its video never replaced', async () => {
    await expectSettled();
    const before = await probe(site);
    const selfId = () => site.evaluate(() => (window as unknown as { teleclass: { session: { state: { self: { id: string } } } } }).teleclass.session.state.self.id);
    const id = await selfId();
    const t0 = Date.now();
    await site.evaluate(() => (window as unknown as { teleclass: { dropConnection(): void } }).teleclass.dropConnection());
    await expect.poll(() => sessionState(site), { timeout: 15_000, interval: 50 }).toMatchObject({ phase: 'joined', connection: 'connected', reconnecting: false });
    const ms = Date.now() - t0;
    console.log(`RECOVERY socket-cut (resumed) ${ms} ms`);
    // A resume: the same participant and the same received track (nothing was set up again).
    expect(await selfId()).toBe(id);
    expect((await probe(site)).track).toBe(before.track);
    await expectSettled();
    await screenshot(site, 'recovery-c-recovered');
    expect(ms).toBeLessThan(5_000);
  });

  it('(b) the only media worker is SIGKILLed: mediaReset, video back within 5 s', async () => {
    await expectSettled();
    const pids = workerPids();
    expect(pids).toHaveLength(1);
    const before = await probe(site);
    const t0 = Date.now();
    process.kill(pids[0]!, 'SIGKILL');
    const ms = await recoveryTime(site, before.track, t0, 15_000);
    console.log(`RECOVERY worker-kill ${ms} ms`);
    await expectSettled();
    await screenshot(site, 'recovery-b-recovered');
    expect(workerPids()).toHaveLength(1);
    expect(workerPids()[0]).not.toBe(pids[0]);
    expect(ms).toBeLessThan(5_000);
  });

  it('(a) the server is SIGKILLed and started again: video back within 15 s of listening', async () => {
    await expectSettled();
    const before = await probe(site);
    await server.kill();
    await waitForTestId(site, 'reconnecting', false, 10_000);
    await waitForTestId(trainer, 'reconnecting', false, 10_000);
    await site.waitForTimeout(1_000);
    await screenshot(site, 'recovery-a-reconnecting');
    await screenshot(trainer, 'recovery-a-studio-reconnecting');
    await server.start();
    const t0 = Date.now();
    const ms = await recoveryTime(site, before.track, t0, 30_000);
    console.log(`RECOVERY server-restart ${ms} ms`);
    await expectSettled();
    await screenshot(site, 'recovery-a-recovered');
    await screenshot(trainer, 'recovery-a-studio-recovered');
    expect(ms).toBeLessThan(15_000);
  });
});
