// The lecture's priority on a weak link: sound, then slides, then the trainer's face; back up in
// reverse order with hysteresis. Pure logic (LectureMedia applies it to real consumers).
import { describe, expect, it } from 'vitest';
import {
  backoffMs, BYPASS_SHARE, CAMERA_LOW, CAMERA_OFF, JUMP_HOLD_MS, JUMP_SHARE, degradation, DOWN_HOLD_MS, FAILED_UP_MS, initialPriority, MAX_BACKOFF_MS, nextPriority, stepLayers, stepNeed, STEPS, UP_HOLD_MS,
  type PriorityState, type ViewerMix,
} from '../../src/media/LecturePriority.js';

const mix: ViewerMix = { cameraLayers: [150_000, 500_000, 1_500_000], cameraWanted: 2, slides: 400_000, audio: 48_000 };

const HOLD = Math.ceil(DOWN_HOLD_MS / 1000);

/**
 * Feeds estimates one a second from t=0 and answers the step after each. `corroborated`: the
 * viewer reports loss (a link that is really short), true unless said.
 */
function run(estimates: number[], m: ViewerMix = mix, floor = 0, corroborated: boolean | ((i: number) => boolean) = true): number[] {
  let state = initialPriority(0);
  return estimates.map((bps, i) => {
    const lossy = typeof corroborated === 'function' ? corroborated(i) : corroborated;
    return (state = nextPriority(state, bps, m, (i + 1) * 1000, floor, { corroborated: lossy })).step;
  });
}

/** A low estimate held HOLD + 1 readings (the shortfall must last DOWN_HOLD_MS before a step down). */
const held = (bps: number) => Array<number>(HOLD + 1).fill(bps);

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

  it('goes down, once a shortfall with loss has lasted DOWN_HOLD_MS, to the step the estimate carries', () => {
    expect(run([3_000_000])).toEqual([0]);
    // 400 kbit/s: sound (48k) + slides (400k) is ~448k; 0.9 × 448k ≈ 403k — the camera goes off.
    expect(run([3_000_000, ...held(420_000)])).toEqual([0, ...Array(HOLD).fill(0), CAMERA_OFF]);
    expect(run([3_000_000, ...held(700_000)]).at(-1)).toBe(2);
    expect(run([3_000_000, ...held(30_000)]).at(-1)).toBe(STEPS.length - 1);
    // Still short below the new step: the next step follows without a second hold.
    expect(run([3_000_000, ...held(700_000), 420_000]).at(-1)).toBe(CAMERA_OFF);
  });

  it('never goes down on a dipping estimate (a busy CPU), nor on a long shortfall the viewer loses nothing by', () => {
    // A loaded machine on loopback: the delay-based estimate falls to a tenth for a second or two,
    // now and then, and the viewer reports loss now and then (a late packet) — never both for DOWN_HOLD_MS.
    const dipping = Array.from({ length: 120 }, (_, i) => (i % 7 < 2 ? 150_000 : i % 11 === 0 ? 60_000 : 4_000_000));
    expect(run(dipping).every((s) => s === 0)).toBe(true);
    expect(run(dipping, mix, 0, (i) => i % 13 === 0).every((s) => s === 0)).toBe(true);
    // Low for a long time, but nothing lost: not the link (mediasoup's own sharing, slides first, still applies).
    expect(run(Array(60).fill(150_000), mix, 0, false).every((s) => s === 0)).toBe(true);
    // The same with loss: down.
    expect(run(Array(60).fill(150_000)).at(-1)).toBeGreaterThan(CAMERA_OFF);
    // Heavy loss (the link's queue overflows): at once, no hold.
    let state = initialPriority(0);
    state = nextPriority(state, 3_000_000, mix, 1_000, 0, {});
    state = nextPriority(state, 420_000, mix, 2_000, 0, { corroborated: true, overloaded: true });
    expect(state.step).toBe(CAMERA_OFF);
    // A shortfall broken by one good estimate starts its wait again.
    const broken = Array.from({ length: 40 }, (_, i) => (i % HOLD === HOLD - 1 ? 4_000_000 : 150_000));
    expect(run(broken).every((s) => s === 0)).toBe(true);
  });

  it('comes back only after the estimate held the next step for UP_HOLD_MS, to what the whole hold carried', () => {
    const holds = Math.ceil(UP_HOLD_MS / 1000);
    // Back to plenty: after one hold, everything at once (the lowest estimate of the hold carries it all).
    const steps = run([...held(420_000), ...Array(holds * 3).fill(5_000_000)]);
    expect(steps[HOLD]).toBe(CAMERA_OFF);
    const changes = steps.flatMap((s, i) => (i > 0 && s !== steps[i - 1] ? [{ i, to: s }] : []));
    expect(changes).toEqual([{ i: HOLD, to: CAMERA_OFF }, { i: HOLD + holds + 1, to: 0 }]); // the hold starts with the first good estimate
    // Back to a middling link: only as far as the hold's lowest estimate carries, never further.
    const middling = stepNeed(2, mix) * 1.2; // carries camera-low with the margin, not camera-mid
    const partial = run([...held(420_000), ...Array(holds * 4).fill(middling)]);
    expect(partial.at(-1)).toBe(2);
    expect(partial.slice(HOLD + 1, HOLD + holds + 1).every((s) => s === CAMERA_OFF)).toBe(true);
    // A dip during the hold limits how far it goes: the hold saw at most what the dip carried.
    const dip = stepNeed(3, mix) * 1.2;
    const dipped = run([...held(420_000), 5_000_000, dip, ...Array(holds).fill(5_000_000)]);
    expect(dipped.at(-1)).toBe(3);
  });

  it("goes up on the hold's lowest estimate, never on a probe's peak", () => {
    const holds = Math.ceil(UP_HOLD_MS / 1000);
    // Held back behind a shaper, the viewer's estimate jumps to what a probe's burst got through
    // and falls back between probes: the peaks are not the link.
    const probed = [...held(420_000), ...Array.from({ length: holds * 4 }, (_, i) => (i % 3 === 1 ? 5_000_000 : 500_000))];
    const lossUntilDown = (i: number) => i <= HOLD; // loss while it went down, none after
    expect(run(probed, mix, 0, lossUntilDown).slice(HOLD).every((s) => s === CAMERA_OFF)).toBe(true);
    // Nothing goes up sooner than UP_HOLD_MS after a step down, however good the estimate.
    const back = run([...held(420_000), ...Array(holds * 2).fill(5_000_000)], mix, 0, lossUntilDown);
    expect(back.slice(HOLD, HOLD + holds + 1).every((s) => s === CAMERA_OFF)).toBe(true);
    expect(back.at(-1)).toBe(0);
  });

  it('climbs one step per hold on a link that carries a little more, straight back on one that carries twice as much', () => {
    const holds = Math.ceil(UP_HOLD_MS / 1000);
    const lowest = STEPS.length - 1;
    // Down to the lowest step, then a link that carries everything with 16 % to spare: twice over
    // only sound and full slides (camera-off), so straight there, then the camera one step per hold.
    const flat: ViewerMix = { cameraLayers: [150_000, 300_000, 450_000], cameraWanted: 2, slides: 400_000, audio: 48_000 };
    const estimate = stepNeed(0, flat) * 1.16;
    expect(stepNeed(CAMERA_OFF, flat) * JUMP_SHARE).toBeLessThanOrEqual(estimate);
    expect(stepNeed(CAMERA_OFF - 1, flat) * JUMP_SHARE).toBeGreaterThan(estimate);
    const climb = run([...held(30_000), ...Array(holds * 10).fill(estimate)], flat);
    expect(climb[HOLD]).toBe(lowest);
    const ups = climb.flatMap((s, i) => (i > 0 && s < climb[i - 1]! ? [{ i, to: s }] : []));
    expect(ups.map((u) => u.to)).toEqual([CAMERA_OFF, 3, 2, 1, 0]);
    for (let k = 1; k < ups.length; k++) expect(ups[k]!.i - ups[k - 1]!.i).toBeGreaterThanOrEqual(holds); // each held anew
    // Twice what everything needs: all at once, after one hold.
    const back = run([...held(30_000), ...Array(holds * 2).fill(stepNeed(0, flat) * JUMP_SHARE)], flat);
    expect(back.slice(HOLD).filter((s, i, a) => i > 0 && s !== a[i - 1])).toEqual([0]);
  });

  it('on a clean link goes straight back to what the estimate carried twice over, or tests the next step by taking it', () => {
    const jump = Math.ceil(JUMP_HOLD_MS / 1000);
    const upHold = Math.ceil(UP_HOLD_MS / 1000);
    /** Down to camera-off, then `after` estimates with the link clean from the first of them or not; answers the first step up. */
    const firstUp = (after: number, clean: boolean) => {
      let state = initialPriority(0);
      let t = 0;
      for (const bps of held(420_000)) state = nextPriority(state, bps, mix, (t += 1000), 0, { corroborated: true });
      expect(state.step).toBe(CAMERA_OFF);
      for (let i = 1; i <= 20; i++) {
        const before = state.step;
        state = nextPriority(state, after, mix, (t += 1000), 0, { clean: clean && i > jump });
        if (state.step < before) return { after: i, step: state.step };
      }
      return null;
    };
    // Lifted: clean and twice everything's need, all at once, as soon as the link has read clean for the hold.
    const lifted = firstUp(stepNeed(0, mix) * JUMP_SHARE, true);
    expect(lifted?.step).toBe(0);
    expect(lifted!.after).toBeLessThan(upHold + 1);
    // The same estimate on a link that still loses packets: the ordinary hold first.
    expect(firstUp(stepNeed(0, mix) * JUMP_SHARE, false)?.after).toBeGreaterThanOrEqual(upHold);
    // Clean, carrying camera-mid twice over but not everything: straight to camera-mid.
    const most = firstUp(stepNeed(0, mix) * 1.5, true);
    expect(most).toEqual({ after: lifted!.after, step: 1 });
    // Clean, but no step above carried twice over: a test of the link by use, without the ordinary
    // hold — two steps at most (camera-mid's need is within the estimate too, but three steps up).
    expect(stepNeed(1, mix)).toBeLessThan(1_000_000);
    const some = firstUp(1_000_000, true);
    expect(some?.after).toBeLessThan(upHold);
    expect(some?.step).toBe(CAMERA_OFF - 2);
    // …and one step when the estimate reached only the next step's need.
    expect(firstUp((stepNeed(CAMERA_OFF - 1, mix) + stepNeed(CAMERA_OFF - 2, mix)) / 2, true)?.step).toBe(CAMERA_OFF - 1);
    // Clean with an estimate short even of where it is (a starved CPU's delays): still tested, a step.
    const starved = firstUp(100_000, true);
    expect(starved?.step).toBe(CAMERA_OFF - 1);
    expect(starved!.after).toBeLessThan(upHold);
    expect(firstUp(100_000, false)).toBeNull(); // lossy and short: no step up, ever
    // Not clean, the same estimate: one step after the ordinary hold.
    const lossy = firstUp(1_000_000, false);
    expect(lossy?.after).toBeGreaterThanOrEqual(upHold);
    expect(lossy?.step).toBe(CAMERA_OFF - 1);
  });

  it('gives the camera above its lowest layer back only to a steady link', () => {
    // Down to the lowest step, then plenty, clean now and then (a few packets read no loss by
    // chance), but the link's loss over 10 s is not under 0.5 %: never above camera-low.
    let state = initialPriority(0);
    let t = 0;
    for (const bps of held(30_000)) state = nextPriority(state, bps, mix, (t += 1000), 0, { corroborated: true });
    const seen = new Set<number>();
    for (let i = 0; i < 60; i++) {
      state = nextPriority(state, 10_000_000, mix, (t += 1000), 0, { clean: i % 3 !== 0, steady: false });
      seen.add(state.step);
    }
    expect(Math.min(...seen)).toBe(CAMERA_LOW);
    // Steady: everything back, in one move (ten times the need).
    state = nextPriority(state, 10_000_000, mix, (t += 1000), 0, { clean: true, steady: true });
    for (let i = 0; i < 5 && state.step > 0; i++) state = nextPriority(state, 10_000_000, mix, (t += 1000), 0, { clean: true, steady: true });
    expect(state.step).toBe(0);
  });

  it('does not flap: an estimate wavering around a step stays put, a dip resets the wait', () => {
    const need1 = stepNeed(1, mix);
    // Around step 1's need: enough to hold step 1, never 30 % over step 0's need.
    const wavering = Array.from({ length: 40 }, (_, i) => need1 * (i % 2 ? 1.05 : 0.95));
    const steps = run([...held(need1), ...wavering]);
    expect(new Set(steps.slice(HOLD))).toEqual(new Set([1]));
    // Up needs an unbroken hold: a dip below the margin every 5 s keeps it from climbing.
    const dips = Array.from({ length: 30 }, (_, i) => (i % 5 === 4 ? stepNeed(0, mix) : stepNeed(0, mix) * 1.4));
    expect(run([...held(need1), ...dips]).slice(HOLD + 1).every((s) => s === 1)).toBe(true);
  });

  it('keeps the camera off while the viewer chose sound and slides only, and needs nothing for absent media', () => {
    expect(run(Array(20).fill(10_000_000), mix, CAMERA_OFF).every((s) => s === CAMERA_OFF)).toBe(true);
    const soundOnly: ViewerMix = { cameraLayers: [], cameraWanted: 0, slides: 0, audio: 48_000 };
    expect(run([100_000, 60_000, 10_000_000])).toBeDefined();
    expect(run([...held(100_000), ...held(60_000)], soundOnly).every((s) => s === 0)).toBe(true);
    expect(degradation(0)).toBeNull();
    expect(degradation(CAMERA_OFF)).toBe('camera-off');
  });

  it('backs off after a step up the link could not carry: each failure in a row doubles the wait, a freed link skips it', () => {
    // A token-bucket shaper: held back, the viewer's estimate reads what a probe's burst got
    // through (1.2 Mbit/s, enough for camera-mid by the margin); at camera-mid it reads what the
    // link really carries (700 kbit/s, with loss). Every step up to camera-mid fails.
    const lying = (step: number) => (step >= 2 ? 1_200_000 : 700_000);
    const drive = (seconds: number, estimate: (step: number) => number, from?: { state: PriorityState; end: number }) => {
      let state = from?.state ?? initialPriority(0);
      const start = from?.end ?? 0;
      const ups: number[] = [];
      for (let t = start + 1000; t <= start + seconds * 1000; t += 1000) {
        const before = state.step;
        state = nextPriority(state, estimate(state.step), mix, t, 0, { corroborated: true });
        if (state.step < before) ups.push(t);
      }
      return { state, ups, end: start + seconds * 1000 };
    };
    const shaped = drive(240, lying);
    const { state, ups } = shaped;
    // Without a backoff it tried every ~9 s (a 5 s hold, then 3 s of shortfall): ~26 times in 240 s.
    expect(ups.length).toBeGreaterThanOrEqual(3);
    expect(ups.length).toBeLessThanOrEqual(7);
    const gaps = ups.slice(1).map((t, i) => t - ups[i]!);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThanOrEqual(Math.min(gaps[i - 1]!, MAX_BACKOFF_MS)); // never sooner than the last wait
    expect(gaps[0]!).toBeGreaterThanOrEqual(backoffMs(1));
    expect(gaps.at(-1)!).toBeGreaterThanOrEqual(MAX_BACKOFF_MS);
    expect(state.backoff?.failures).toBeGreaterThanOrEqual(3);
    // A step less demanding than the one that failed is not held back by it: camera-low stays.
    expect(state.step).toBeGreaterThanOrEqual(1);

    // The link freed (the estimate far above what the failed step trusted): back after one ordinary hold.
    const freed = drive(UP_HOLD_MS / 1000 + 2, () => Math.max(1_200_000 * BYPASS_SHARE, stepNeed(0, mix) * JUMP_SHARE), shaped);
    expect(freed.state.step).toBe(0);
    // Held for FAILED_UP_MS there: the failures are forgiven; the next failure starts the backoff again.
    const kept = drive(FAILED_UP_MS / 1000 + 2, () => 5_000_000, freed);
    expect(kept.state.step).toBe(0);
    expect(kept.state.backoff ?? null).toBeNull();
  });
});
