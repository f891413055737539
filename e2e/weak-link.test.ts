// A viewer on a bad network, for real (issue 17 item 3): its Chromium runs in a network namespace
// made here, and what reaches it is limited to 400 kbit/s with 3 % random UDP loss (tc tbf +
// nftables; e2e/netns.ts), while the trainer sends a simulcast camera, a microphone and slides.
// The lecture's priority must hold: sound keeps flowing with little loss, the slides keep their
// full resolution, the trainer's camera drops to its lowest layer or pauses, and the viewer is
// told; once the limit is lifted the camera comes back within 15 s. Then the viewer's own
// "audio and slides only" pauses the camera and survives a reload. The figures are printed.
// Needs root (namespaces, tc, nftables): where that is missing the test says why and is skipped
// (README, "Weak connections").
import { PRIORITY_STEPS, type PriorityStep } from '@teleclass/shared';
import { describe, expect, it } from 'vitest';
import { expectVideoPlays, newPage, screenshot } from './browser.js';
import { ConstrainedLink } from './constrainedLink.js';
import { audioWindow, cameraBack, rates, settledSteps, WeakLinkLecture } from './weakLinkScenario.js';

const unavailable = await ConstrainedLink.unavailable();
if (unavailable) console.warn(`weak-link test skipped: ${unavailable}`);

const CAMERA_LOW = PRIORITY_STEPS.indexOf('camera-low');
const CAMERA_OFF = PRIORITY_STEPS.indexOf('camera-off');
const kbit = (bps: number) => `${Math.round(bps / 1000)} kbit/s`;

describe('a viewer behind a 400 kbit/s link with 3 % loss', () => {
  it.skipIf(unavailable !== null)('keeps sound and sharp slides, gives up the camera first, and gets it back', { timeout: 300_000 }, async () => {
    const lecture = await WeakLinkLecture.start();
    const figures: string[] = [];
    const trail: string[] = []; // the recovery, reading by reading (in the error when it is late)
    let changes: string[] = []; // the policy's own record of its steps, until the viewer reloads
    const recordChanges = () => {
      changes = lecture.stepChanges();
    };
    try {
      const { viewer, link } = lecture;

      // On the open link: everything flows; the slides' full size is what must survive.
      await expect.poll(async () => (await lecture.inbound()).slides?.width ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);
      const open = rates(...(await audioWindow(lecture, 100, 30_000)));
      const full = (await lecture.inbound()).slides!;
      // The open link (a veth pair on this machine, however loaded) is not weak: nothing held back, no note.
      expect(lecture.priority().step).toBe('full');
      expect(await viewer.getByTestId('weak-link-note').count()).toBe(0);
      figures.push(`open link: audio ${kbit(open.audioBps)}, camera ${kbit(open.cameraBps)}, slides ${kbit(open.slidesBps)} at ${full.width}×${full.height}`);

      // The limit: 400 kbit/s and 3 % random loss towards the viewer.
      await link.limit({ rateKbit: 400, lossPct: 3, latencyMs: 300 });
      const limitedAt = Date.now();
      await expect.poll(() => lecture.priority().index, { timeout: 45_000, interval: 500 }).toBeGreaterThanOrEqual(CAMERA_LOW);
      const downMs = Date.now() - limitedAt;
      await viewer.getByTestId('weak-link-note').waitFor({ timeout: 10_000 });
      // Settled: the same step for 5 s (the ladder's own hold), then a window of sound.
      const steps = await settledSteps(lecture, 5_000, 60_000);

      // Settled under the limit: a window of 1000 audio packets (20 s of Opus; the 3 % dropped at
      // random alone vary by ±0.5 % over so many).
      const during: PriorityStep[] = [];
      const [a, b] = await audioWindow(lecture, 1000, 90_000, during);
      const weak = rates(a, b);
      const under = lecture.priority();
      recordChanges();
      figures.push(
        `limited: step ${under.step} (${steps.join(' → ')}; first change after ${(downMs / 1000).toFixed(1)} s; estimate ${kbit(under.estimateBps ?? 0)}); ` +
          `audio ${kbit(weak.audioBps)} with ${weak.audioLossPct.toFixed(1)} % lost of ${weak.audioPackets + 0} packets, ` +
          `camera ${kbit(weak.cameraBps)}, slides ${kbit(weak.slidesBps)} at ${b.slides?.width}×${b.slides?.height}; steps during the window: ${during.join(' → ')}`,
      );
      figures.push(`tc: ${(await link.qdiscStats()).replace(/\s+/g, ' ')}`);
      expect(weak.audioPackets).toBeGreaterThanOrEqual(1000); // sound flows…
      expect(weak.audioLossPct).toBeLessThan(5); // …and is not starved
      expect(b.slides).toMatchObject({ width: full.width, height: full.height }); // slides at full resolution
      expect(b.slides!.frames).toBeGreaterThan(a.slides!.frames); // still changing, at a lower frame rate at most
      expect(under.index).toBeGreaterThanOrEqual(CAMERA_LOW); // the camera at its lowest layer or paused
      expect([0, null]).toContain(under.layer);
      // The note says what the server holds back (read together: a step may change between two reads).
      const noteSays = async () => {
        const { index } = lecture.priority();
        const note = (await viewer.getByTestId('weak-link-note').textContent()) ?? '';
        return (index >= CAMERA_OFF ? /video is paused/ : /lower quality/).test(note) && lecture.priority().index === index;
      };
      await expect.poll(noteSays, { timeout: 10_000 }).toBe(true);

      // At 360 px the note is still on the screen, in the trainer's corner.
      await viewer.setViewportSize({ width: 360, height: 640 });
      const box = await viewer.getByTestId('weak-link-note').boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 360 && box.y >= 0 && box.y + box.height <= 640).toBe(true);
      await screenshot(viewer, 'weak-link-360');
      await viewer.setViewportSize({ width: 1280, height: 720 });
      await screenshot(viewer, 'weak-link-1280');

      // The limit lifted: the camera's pictures come back within 15 s, the note goes.
      await link.lift();
      const liftedAt = Date.now();
      const recoverMs = await cameraBack(lecture, liftedAt, 15_000, trail).finally(recordChanges);
      await expect.poll(() => lecture.priority().step, { timeout: 45_000, interval: 500 }).toBe('full');
      const fullMs = Date.now() - liftedAt;
      recordChanges();
      figures.push(`recovery (s, step, estimate, camera frames): ${trail.filter((_, i) => i % 4 === 0 || i === trail.length - 1).join(' | ')}`);
      await viewer.getByTestId('weak-link-note').waitFor({ state: 'detached', timeout: 10_000 });
      const after = rates(...(await audioWindow(lecture, 200, 30_000)));
      figures.push(
        `lifted: camera back after ${(recoverMs / 1000).toFixed(1)} s, all steps back after ${(fullMs / 1000).toFixed(1)} s; ` +
          `audio ${after.audioLossPct.toFixed(1)} % lost, camera ${kbit(after.cameraBps)}, slides ${kbit(after.slidesBps)}`,
      );
      expect(after.audioLossPct).toBeLessThan(5);

      // The viewer's own "audio and slides only": the camera pauses at once, and stays so after a reload.
      await viewer.getByTestId('audio-slides-only').click();
      await expect.poll(() => lecture.priority(), { timeout: 10_000 }).toMatchObject({ step: 'camera-off', manual: true });
      await viewer.getByTestId('weak-link-note').waitFor({ timeout: 10_000 });
      await viewer.reload();
      await expect.poll(() => lecture.priority().manual, { timeout: 30_000 }).toBe(true);
      await viewer.getByTestId('audio-slides-only').click(); // the trainer's video again
      await expect.poll(() => lecture.priority(), { timeout: 10_000 }).toMatchObject({ step: 'full', manual: false });

      // A kiosk on a projector: its note is legible and covers nothing of the slides (nobody is at a
      // kiosk to choose; the session's own call stands in for a link that paused its camera).
      const kiosk = await newPage(lecture.browsers[0]!, 'kiosk', { width: 1920, height: 1080 });
      await kiosk.goto(lecture.kioskUrl);
      await expectVideoPlays(kiosk, 'slides-video', 30_000);
      await kiosk.evaluate(() => (window as unknown as { teleclass: { session: { setAudioSlidesOnly(on: boolean): Promise<void> } } }).teleclass.session.setAudioSlidesOnly(true));
      const kioskNote = kiosk.getByTestId('weak-link-note');
      await kioskNote.waitFor({ timeout: 10_000 });
      const [noteBox, slidesBox] = [await kioskNote.boundingBox(), await kiosk.getByTestId('slides-video').boundingBox()];
      expect(noteBox && slidesBox).toBeTruthy();
      expect(noteBox!.y).toBeGreaterThanOrEqual(slidesBox!.y + slidesBox!.height - 1); // below the slides, not over them
      expect(noteBox!.y + noteBox!.height).toBeLessThanOrEqual(1080);
      expect(await kioskNote.evaluate((e) => parseFloat(getComputedStyle(e).fontSize))).toBeGreaterThanOrEqual(24);
      await screenshot(kiosk, 'weak-link-kiosk-1920');
    } finally {
      if (changes.length > 0) figures.push(`the policy's changes of step (s since the viewer's transport opened):\n    ${changes.join('\n    ')}`);
      console.log(`\nweak link (400 kbit/s, 3 % loss towards the viewer):\n  ${figures.join('\n  ')}\n`);
      await lecture.close();
    }
  });
});
