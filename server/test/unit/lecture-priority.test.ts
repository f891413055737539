// The lecture's priority on a weak link: sound, then slides, then the trainer's face; back up in
// reverse order with hysteresis. Pure logic (LectureMedia applies it to real consumers).
import { describe, expect, it } from 'vitest';
import {
  CAMERA_OFF, degradation, initialPriority, nextPriority, stepLayers, stepNeed, STEPS, UP_HOLD_MS, type ViewerMix,
} from '../../src/media/LecturePriority.js';

const mix: ViewerMix = { cameraLayers: [150_000, 500_000, 1_500_000], cameraWanted: 2, slides: 400_000, audio: 48_000 };

/** Feeds estimates one a second from t=0 and answers the step after each. */
function run(estimates: number[], m: ViewerMix = mix, floor = 0, clean = false): number[] {
  let state = initialPriority(0);
  return estimates.map((bps, i) => (state = nextPriority(state, bps, m, (i + 1) * 1000, floor, clean)).step);
}

describe('lecture priority ladder', () => {
  it('asks less at every step down; sound is always in the need', () => {
    const needs = STEPS.map((_, s) => stepNeed(s, mix));
    for (let s = 1; s < needs.length; s++) expect(needs[s]).toBeLessThan(needs[s - 1]!);
    expect(needs.at(-1)).toBeGreaterThanOrEqual(mix.audio);
  });

  it('lowers the camera, then pauses it, before the slides lose any frame rate; slides never lose resolution', () => {
    for (let s = 0; s <= CAMERA_OFF; s++) expect(stepLayers(s, mix).slides.temporal).toBe(2);
    expect(stepLayers(1, mix).camera).toEqual({ paused: false, spatial: 1, temporal: 2 });
    expect(stepLayers(2, mix).camera).toEqual({ paused: false, spatial: 0, temporal: 2 });
    expect(stepLayers(3, mix).camera).toEqual({ paused: false, spatial: 0, temporal: 0 });
    expect(stepLayers(CAMERA_OFF, mix).camera.paused).toBe(true);
    expect(stepLayers(CAMERA_OFF + 1, mix).slides.temporal).toBe(1);
    expect(stepLayers(CAMERA_OFF + 2, mix).slides.temporal).toBe(0);
  });

  it('goes down at once to the step the estimate carries', () => {
    expect(run([3_000_000])).toEqual([0]);
    // 400 kbit/s: sound (48k) + slides (400k) is ~448k; 0.9 × 448k ≈ 403k — the camera goes off.
    expect(run([3_000_000, 420_000])).toEqual([0, CAMERA_OFF]);
    expect(run([3_000_000, 700_000])).toEqual([0, 2]);
    expect(run([3_000_000, 30_000]).at(-1)).toBe(STEPS.length - 1);
  });

  it('comes back only after the estimate held the next step for UP_HOLD_MS, to what the whole hold carried', () => {
    const holds = Math.ceil(UP_HOLD_MS / 1000);
    // Back to plenty: after one hold, everything at once (the lowest estimate of the hold carries it all).
    const steps = run([420_000, ...Array(holds * 3).fill(5_000_000)]);
    expect(steps[0]).toBe(CAMERA_OFF);
    const changes = steps.flatMap((s, i) => (i > 0 && s !== steps[i - 1] ? [{ i, to: s }] : []));
    expect(changes).toEqual([{ i: holds + 1, to: 0 }]); // the hold starts with the first good estimate
    // Back to a middling link: only as far as the hold's lowest estimate carries, never further.
    const middling = stepNeed(2, mix) * 1.2; // carries camera-low with the margin, not camera-mid
    const partial = run([420_000, ...Array(holds * 4).fill(middling)]);
    expect(partial.at(-1)).toBe(2);
    expect(partial.slice(1, holds + 1).every((s) => s === CAMERA_OFF)).toBe(true);
    // A dip during the hold limits how far it goes: the hold saw at most what the dip carried.
    const dip = stepNeed(3, mix) * 1.2;
    const dipped = run([420_000, 5_000_000, dip, ...Array(holds).fill(5_000_000)]);
    expect(dipped.at(-1)).toBe(3);
  });

  it('on a viewer that lost nothing through the hold, takes the best estimate of it (a probe), not the lowest', () => {
    const holds = Math.ceil(UP_HOLD_MS / 1000);
    // Between mediasoup's probes a viewer that receives little is estimated near what it receives.
    const probed = [420_000, ...Array.from({ length: holds * 2 }, (_, i) => (i % 3 === 1 ? 5_000_000 : 500_000))];
    // (Between probes it may step down again here: these estimates do not follow what is sent, as real ones do.)
    expect(Math.min(...run(probed, mix, 0, true))).toBe(0);
    expect(Math.min(...run(probed, mix, 0, false))).toBe(CAMERA_OFF);
    // Clean or not, nothing goes up sooner than UP_HOLD_MS after a step down.
    expect(run(probed, mix, 0, true).slice(0, holds + 1).every((s) => s === CAMERA_OFF)).toBe(true);
  });

  it('does not flap: an estimate wavering around a step stays put, a dip resets the wait', () => {
    const need1 = stepNeed(1, mix);
    // Around step 1's need: enough to hold step 1, never 30 % over step 0's need.
    const wavering = Array.from({ length: 40 }, (_, i) => need1 * (i % 2 ? 1.05 : 0.95));
    const steps = run(wavering);
    expect(new Set(steps.slice(1))).toEqual(new Set([1]));
    // Up needs an unbroken hold: a dip below the margin every 5 s keeps it from climbing.
    const dips = Array.from({ length: 30 }, (_, i) => (i % 5 === 4 ? stepNeed(0, mix) : stepNeed(0, mix) * 1.4));
    expect(run([need1, ...dips]).slice(1).every((s) => s === 1)).toBe(true);
  });

  it('keeps the camera off while the viewer chose sound and slides only, and needs nothing for absent media', () => {
    expect(run(Array(20).fill(10_000_000), mix, CAMERA_OFF).every((s) => s === CAMERA_OFF)).toBe(true);
    const soundOnly: ViewerMix = { cameraLayers: [], cameraWanted: 0, slides: 0, audio: 48_000 };
    expect(run([100_000, 60_000, 10_000_000])).toBeDefined();
    expect(run([100_000, 60_000], soundOnly)).toEqual([0, 0]);
    expect(degradation(0)).toBeNull();
    expect(degradation(CAMERA_OFF)).toBe('camera-off');
  });
});
