/**
 * The lecture's priority for one viewer whose link cannot carry everything: the trainer's voice,
 * then the slides, then the trainer's face. Jitsi and LiveKit lower every video evenly; a
 * lecture is not a meeting. Pure logic, no mediasoup: fed the viewer's bandwidth estimate
 * (mediasoup's transport `bwe` trace: availableBitrate) every second or so, it answers which
 * step of the ladder the viewer is on; LectureMedia applies a step to the consumers
 * (preferred layers, pause) and tells the viewer.
 *
 * The ladder, one step at a time, down as the estimate falls and back up in reverse order:
 *   0 full        camera at the layer the viewer's size asks for, slides full
 *   1 camera-mid  camera at most the middle layer (360p)
 *   2 camera-low  camera at the lowest layer (180p)
 *   3 camera-slow camera at the lowest layer and its lowest frame rate
 *   4 camera-off  camera paused; sound and slides only
 *   5 slides-slow slides at full resolution, lower frame rate (temporal layer 1)
 *   6 slides-min  slides at full resolution, lowest frame rate (temporal layer 0)
 * Sound is never touched: it is not on the ladder (Opus at 32–64 kbit/s always goes first).
 *
 * Never on one low estimate: mediasoup's delay-based estimate dips whenever the machine is short
 * of CPU (packets wait in queues that are not the link's), and on a loaded server or viewer that
 * looked like a weak link on loopback. Down only when the shortfall (the estimate under the step's
 * need, with DOWN_MARGIN) has lasted DOWN_HOLD_MS without a break AND the viewer reports loss
 * (`corroborated`: a link that is really too small drops packets), or at once when it reports
 * heavy loss (`overloaded`); then to the first step the estimate carries. Up never sooner than UP_HOLD_MS after the last step down, and only to the best
 * step the lowest estimate of the last UP_HOLD_MS carries with UP_MARGIN to spare, one step per
 * hold unless that estimate carries a step JUMP_SHARE times over (then straight there, and after
 * JUMP_HOLD_MS already when the viewer lost nothing all that time). A step up taken
 * back within FAILED_UP_MS failed: a step as demanding is tried again only after a backoff that
 * doubles with each failure in a row (10, 20, 40, 60 s), unless the estimate shows BYPASS_SHARE
 * times what the failed step trusted.
 */

import { PRIORITY_STEPS, type PriorityStep } from '@teleclass/shared';

/** The steps (defined in shared/, where the viewer's note and the studio's site health read them). */
export const STEPS = PRIORITY_STEPS;
export type Step = PriorityStep;
export const CAMERA_OFF = STEPS.indexOf('camera-off');
/**
 * The steps above it (the camera above its lowest layer) are given back only to a viewer whose
 * link is steady (LinkSignals.steady): a link that keeps losing packets keeps the camera at its
 * lowest layer at best, whatever its estimate and however clean a few seconds of it read.
 */
export const CAMERA_LOW = STEPS.indexOf('camera-low');

/** A step is carried while the estimate is at least its need × DOWN_MARGIN (10 % short is tolerated)… */
export const DOWN_MARGIN = 0.9;
/**
 * …and a step up needs the estimate at need × UP_MARGIN… (not more: mediasoup caps its probing at
 * 1.35 × what the consumers ask for, so a larger margin could never be seen while held back)
 */
export const UP_MARGIN = 1.15;
/** …held this long. */
export const UP_HOLD_MS = 5_000;
/** A shortfall must last this long, unbroken, before anything is held back (a dip is not a weak link). */
export const DOWN_HOLD_MS = 3_000;
/**
 * A step up taken back this soon failed: the estimate that justified it was not the link's (a
 * token-bucket shaper lets a probe's burst through at line rate, so mediasoup's estimate of a
 * link held back under a 400 kbit/s shaper read 450–670 kbit/s, and the camera came back into a
 * link that could not carry it, losing sound with it).
 */
export const FAILED_UP_MS = 15_000;
/**
 * After a failed step up, that step (or any asking as much) is tried again only after a wait that
 * doubles with each failure in a row — UP_HOLD_MS × 2^failures, at most MAX_BACKOFF_MS — as
 * libwebrtc backs off its probes; unless the estimate now is BYPASS_SHARE times what the failed
 * step trusted (a link really freed: lifted, a viewer who left the crowded Wi-Fi).
 */
export const MAX_BACKOFF_MS = 60_000;
export const BYPASS_SHARE = 1.5;
/**
 * Up goes one step at a time, each held UP_HOLD_MS anew (a step up is itself the test of the
 * estimate: the link carries it or loses packets), except that it goes straight to any step the
 * hold's lowest estimate carries twice over: a lifted link read 2.5–5 Mbit/s within 1–3 s, and a
 * held-back viewer behind a 400 kbit/s shaper 450–780 kbit/s (once a minute of 5 s ≥ 730).
 */
export const JUMP_SHARE = 2;
/**
 * …and after a hold this short when the viewer lost nothing all that time (`clean`): the two
 * together are what a lifted link shows (0 loss, 2.5–5 Mbit/s within 1–3 s), while a viewer held
 * back behind a shaper, whatever a probe's burst reads for a moment, loses its 3 %.
 */
export const JUMP_HOLD_MS = 3_000;
/**
 * On a clean link (LinkSignals.clean) one step up (two when a probe reached the second's need) every
 * this long, each a test of the link by use:
 * after a lift mediasoup's estimate of a viewer held back to ~260 kbit/s climbed over probes that a
 * loaded machine's delays kept knocking back (300–700 kbit/s for 13 s, once), so waiting for the
 * estimate alone left the camera off for over 15 s on a link that lost nothing.
 */
export const CLEAN_STEP_MS = 2_000;
/** Failures further apart than this are not in a row. */
const BACKOFF_MEMORY_MS = 300_000;

/** What the viewer receives, for the needs of each step (bits per second, nominal). */
export interface ViewerMix {
  /** The camera's simulcast layers' bitrates, lowest first (empty: no camera). */
  cameraLayers: readonly number[];
  /** The camera layer the viewer's size asks for (spatialLayerFor). */
  cameraWanted: number;
  /** The slides' bitrate at full frame rate (0: no slides). */
  slides: number;
  /** Sound, not on the ladder but reserved first. */
  audio: number;
}

/** Share of a layer's bitrate its lowest frame rate (temporal layer 0 of L1T3) takes. */
const LOW_FPS_SHARE = 0.5;
/** Share of the slides' bitrate at temporal layer 1 and 0. */
const SLIDES_SHARE = [0.25, 0.5, 1] as const;

/** What a step asks for (bit/s): sound + camera at that step + slides at that step. */
export function stepNeed(step: number, mix: ViewerMix): number {
  const layers = mix.cameraLayers;
  const top = Math.min(Math.max(0, mix.cameraWanted), layers.length - 1);
  let camera = 0;
  if (layers.length > 0) {
    if (step === 0) camera = layers[top]!;
    else if (step === 1) camera = layers[Math.min(top, Math.floor((layers.length - 1) / 2) || 0)]!;
    else if (step === 2) camera = layers[0]!;
    else if (step === 3) camera = layers[0]! * LOW_FPS_SHARE;
  }
  const slides = step <= CAMERA_OFF ? mix.slides : mix.slides * SLIDES_SHARE[step === 5 ? 1 : 0];
  return mix.audio + camera + slides;
}

/** How a step is applied to the consumers. */
export interface StepLayers {
  camera: { paused: boolean; spatial: number; temporal: number };
  slides: { temporal: number };
}

/** The camera's and slides' layers at `step` (temporal 2 = full frame rate of L1T3). */
export function stepLayers(step: number, mix: Pick<ViewerMix, 'cameraLayers' | 'cameraWanted'>): StepLayers {
  const top = Math.min(Math.max(0, mix.cameraWanted), Math.max(0, mix.cameraLayers.length - 1));
  const middle = Math.min(top, Math.floor((mix.cameraLayers.length - 1) / 2) || 0);
  const spatial = step === 0 ? top : step === 1 ? middle : 0;
  return {
    camera: { paused: step >= CAMERA_OFF, spatial, temporal: step === 3 ? 0 : 2 },
    slides: { temporal: step <= CAMERA_OFF ? 2 : step === 5 ? 1 : 0 },
  };
}

export interface PriorityState {
  step: number;
  /** When the step last changed. */
  changedAt: number;
  /** When it last went down (a link in trouble: nothing goes up for UP_HOLD_MS after). */
  downAt: number;
  /**
   * The estimates since the last step down, as far back as UP_HOLD_MS (and the one just before,
   * so it is known what held at the start of that span); at most MAX_WINDOW entries.
   */
  window: readonly { at: number; bps: number }[];
  /** Since when every estimate fell short of the step's need (null: the last one carried it). */
  shortSince: number | null;
  /** The last step up: when, to which step, and the estimate it trusted (null: none since the last failure was forgiven). */
  lastUp?: { at: number; step: number; held: number } | null;
  /**
   * The last failed step up (one taken back within FAILED_UP_MS): the need of the step that failed,
   * the estimate it trusted, when it was taken back and how many failed in a row.
   */
  backoff?: { need: number; evidence: number; at: number; failures: number } | null;
}

const MAX_WINDOW = 64;

export const initialPriority = (now: number): PriorityState => ({ step: 0, changedAt: now, downAt: now, window: [], shortSince: null, lastUp: null, backoff: null });

/** How long a step as demanding as the one that failed waits after `failures` failures in a row. */
export const backoffMs = (failures: number): number => Math.min(MAX_BACKOFF_MS, UP_HOLD_MS * 2 ** failures);

/** What else the viewer's link says, beside the estimate (ViewerPriority measures it). */
export interface LinkSignals {
  /**
   * The viewer reported no loss on any reading (once a second) for the last 2 s: one step up per
   * CLEAN_STEP_MS (when the estimate reached its need), and straight to a step the estimate carried
   * twice over all through JUMP_HOLD_MS; no UP_HOLD_MS.
   */
  clean?: boolean;
  /**
   * The viewer's loss averaged under STEADY_LOSS over the last STEADY_MS of readings: only then
   * does the camera go above its lowest layer again (CAMERA_LOW). mediasoup's loss figure counts
   * only the packets that carry transport-cc — video and probes, not the sound — so a viewer held
   * back to a few dozen of those a second reads 0 for seconds now and then behind a link that
   * drops 3 % at random; over 10 s such a link averages its 3 %. Undefined: steady (a caller that
   * measures no loss, as the tests of the ladder alone).
   */
  steady?: boolean;
  /** The viewer reports loss now (2 % or more lately): a shortfall is the link's, not a busy CPU's. */
  corroborated?: boolean;
  /**
   * The viewer reports heavy loss (10 % or more): its link's queue overflows now, losing sound
   * too, so a shortfall is acted on at once, without DOWN_HOLD_MS (no busy CPU loses that much).
   */
  overloaded?: boolean;
}

/**
 * The next state for an estimate `bps` at `now`. `floor`: the lowest step allowed (the viewer
 * chose "sound and slides only": CAMERA_OFF). Steps that ask for the same as the one below
 * (no camera to lower, no slides) are skipped, so a viewer of sound only never moves.
 *
 * Down: once the estimate has fallen short of the step (DOWN_MARGIN) for DOWN_HOLD_MS without a
 * break and the viewer reports loss (`signals.corroborated`), to the first step it carries. Up: no
 * sooner than UP_HOLD_MS after the last step down, and only to the best step that the lowest
 * estimate of the last UP_HOLD_MS carries with UP_MARGIN to spare (what the link has shown it
 * carries all along, not a moment's peak — not even when the viewer reports no loss: a shaper
 * lets a probe's burst through, and a held-back viewer's few packets often show none). One step
 * per hold (each step up tests the estimate), unless the estimate carries a step JUMP_SHARE times
 * over: then straight to it — after JUMP_HOLD_MS only, when the link was clean all that time. Given back in reverse order (the slides' frame rate, then the
 * camera, then its layers), as far as that allows at once: a link that is back does not wait a
 * hold a step. Not to a step as demanding as one that failed lately (`state.backoff`) before its
 * backoff is over, unless the estimate held is BYPASS_SHARE times what that step trusted.
 */
export function nextPriority(state: PriorityState, bps: number, mix: ViewerMix, now: number, floor = 0, signals: LinkSignals = {}): PriorityState {
  const last = STEPS.length - 1;
  const need = (s: number) => stepNeed(s, mix);
  const down = (step: number): PriorityState => ({ ...state, step, changedAt: now, downAt: now, window: [], shortSince: null });
  let step = Math.max(state.step, floor);
  if (step !== state.step) return down(step); // the viewer's own choice: at once
  if (!Number.isFinite(bps) || bps < 0) return state;

  const carried = (s: number) => bps >= need(s) * DOWN_MARGIN;
  // As demanding as a step that failed lately (`backoff`): not before its backoff, unless the link now shows far more.
  // Above camera-low: only on a steady link.
  const barred = (backoff: PriorityState['backoff'], s: number, held: number) =>
    (s < CAMERA_LOW && signals.steady === false) ||
    (backoff != null && need(s) >= backoff.need * DOWN_MARGIN && now - backoff.at < backoffMs(backoff.failures) && held < backoff.evidence * BYPASS_SHARE);
  // The step above (and the steps that ask no more than it).
  const oneStep = (backoff: PriorityState['backoff'], held: number) => {
    let target = step - 1;
    while (target > floor && need(target - 1) <= need(target) && !barred(backoff, target - 1, held)) target--;
    return target;
  };
  const up = (base: PriorityState, target: number, held: number): PriorityState => ({
    ...base,
    step: target,
    changedAt: now,
    window: [],
    shortSince: null,
    lastUp: { at: now, step: target, held },
  });
  // A clean link tests the next step by taking it, every CLEAN_STEP_MS while it stays clean,
  // whatever the estimate (on a starved CPU after a lift it fell from 3.4 Mbit/s to 170 kbit/s
  // on a link that lost nothing, short of even the step it was on) — and the one after it too
  // when the estimate reached its need at least once meanwhile (a probe).
  const cleanUp = (base: PriorityState): PriorityState | null => {
    if (signals.clean !== true || step <= floor || now - state.changedAt < CLEAN_STEP_MS) return null;
    const peak = Math.max(bps, ...base.window.filter((e) => e.at >= state.changedAt).map((e) => e.bps));
    if (barred(base.backoff, step - 1, peak)) return null;
    let target = oneStep(base.backoff, peak);
    const second = target > floor ? target - 1 : target;
    if (second < target && peak >= need(second) && !barred(base.backoff, second, peak)) target = second;
    return up(base, target, peak);
  };

  if (!carried(step)) {
    const shortSince = state.shortSince ?? now;
    if (step < last && ((now - shortSince >= DOWN_HOLD_MS && signals.corroborated === true) || signals.overloaded === true)) {
      while (step < last && !carried(step)) step++;
      if (step === state.step) return state;
      const { lastUp, backoff } = state;
      // Taken back soon after a step up: that step up failed; the next try waits longer.
      const failed =
        lastUp && now - lastUp.at <= FAILED_UP_MS
          ? {
              need: need(lastUp.step),
              evidence: lastUp.held,
              at: now,
              failures: (backoff && now - backoff.at <= BACKOFF_MEMORY_MS ? backoff.failures : 0) + 1,
            }
          : backoff;
      return { ...down(step), shortSince, lastUp: null, backoff: failed ?? null }; // still short below: the next step needs no new hold
    }
    // Not yet (or not the link's fault): wait. (A short reading is not added to the window either:
    // the window holds what the step carried, and its lowest entry bounds how far up it goes.)
    const waiting = state.shortSince === shortSince ? state : { ...state, shortSince };
    return cleanUp(waiting) ?? waiting;
  }

  // The window: the estimates of the last UP_HOLD_MS, and the newest one before that span.
  const kept = [...state.window, { at: now, bps }];
  let first = 0;
  while (first + 1 < kept.length && kept[first + 1]!.at <= now - UP_HOLD_MS) first++;
  const window = kept.slice(Math.max(first, kept.length - MAX_WINDOW));
  let next: PriorityState = { ...state, window, shortSince: null };
  const { backoff, lastUp } = state;
  // A step as demanding as the one that failed has held FAILED_UP_MS: the failure is forgiven.
  if (backoff && lastUp && now - lastUp.at > FAILED_UP_MS && need(step) >= backoff.need * DOWN_MARGIN) next = { ...next, backoff: null, lastUp: null };
  if (step <= floor) return next;
  // The lowest estimate of the last `ms` (and of the reading just before them, which held at their
  // start); null while the window does not reach back that far (it starts again at every change).
  const lowestOf = (ms: number): number | null => {
    let i = window.length - 1;
    while (i > 0 && window[i]!.at > now - ms) i--;
    return i < window.length - 1 && window[i]!.at <= now - ms ? Math.min(...window.slice(i).map((e) => e.bps)) : null;
  };
  // The best step `held` carries JUMP_SHARE times over, from `step` up without a gap.
  const twiceOver = (held: number) => {
    let s = step;
    while (s > floor && held >= need(s - 1) * JUMP_SHARE && !barred(next.backoff, s - 1, held)) s--;
    return s;
  };

  // Straight back: a link that lost nothing for JUMP_HOLD_MS and whose estimate carried a step twice
  // over all that time (a lifted link: its estimate is up within 1–3 s and stays there).
  const quick = signals.clean === true ? lowestOf(JUMP_HOLD_MS) : null;
  if (quick !== null && twiceOver(quick) < step) return up(next, twiceOver(quick), quick);
  const tested = cleanUp(next);
  if (tested) return tested;

  const held = now - state.downAt >= UP_HOLD_MS ? lowestOf(UP_HOLD_MS) : null;
  if (held === null) return next;
  if (twiceOver(held) < step) return up(next, twiceOver(held), held);
  // One step, held UP_HOLD_MS anew before the next.
  if (held < need(step - 1) * UP_MARGIN || barred(next.backoff, step - 1, held)) return next;
  return up(next, oneStep(next.backoff, held), held);
}

/** What the viewer is told: the step's name, or null when nothing is held back. */
export const degradation = (step: number): Step | null => (step <= 0 ? null : STEPS[Math.min(step, STEPS.length - 1)]!);
