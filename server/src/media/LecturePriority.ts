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
 * step the lowest estimate of the last UP_HOLD_MS carries with UP_MARGIN to spare.
 */

import { PRIORITY_STEPS, type PriorityStep } from '@teleclass/shared';

/** The steps (defined in shared/, where the viewer's note and the studio's site health read them). */
export const STEPS = PRIORITY_STEPS;
export type Step = PriorityStep;
export const CAMERA_OFF = STEPS.indexOf('camera-off');

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
}

const MAX_WINDOW = 64;

export const initialPriority = (now: number): PriorityState => ({ step: 0, changedAt: now, downAt: now, window: [], shortSince: null });

/** What else the viewer's link says, beside the estimate (ViewerPriority measures it). */
export interface LinkSignals {
  /**
   * The viewer reported no loss at all (read every second) through the last
   * UP_HOLD_MS: then the best estimate of that span counts (what
   * mediasoup's probes found the link carries; a viewer that receives little is estimated near
   * what it receives between probes), otherwise the lowest.
   */
  clean?: boolean;
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
 * carries all along, not a moment's peak) or, when the viewer lost nothing through that span
 * (`signals.clean`), the best. Given back in reverse order (the slides' frame rate, then the
 * camera, then its layers), as far as that allows at once: a link that is back does not wait a
 * hold a step.
 */
export function nextPriority(state: PriorityState, bps: number, mix: ViewerMix, now: number, floor = 0, signals: LinkSignals = {}): PriorityState {
  const last = STEPS.length - 1;
  const need = (s: number) => stepNeed(s, mix);
  const down = (step: number): PriorityState => ({ step, changedAt: now, downAt: now, window: [], shortSince: null });
  let step = Math.max(state.step, floor);
  if (step !== state.step) return down(step); // the viewer's own choice: at once
  if (!Number.isFinite(bps) || bps < 0) return state;

  const carried = (s: number) => bps >= need(s) * DOWN_MARGIN;
  if (!carried(step)) {
    const shortSince = state.shortSince ?? now;
    if (step < last && ((now - shortSince >= DOWN_HOLD_MS && signals.corroborated === true) || signals.overloaded === true)) {
      while (step < last && !carried(step)) step++;
      return step === state.step ? state : { ...down(step), shortSince }; // still short below: the next step needs no new hold
    }
    // Not yet (or not the link's fault): wait. (A short reading is not added to the window either:
    // the window holds what the step carried, and its lowest entry bounds how far up it goes.)
    return state.shortSince === shortSince ? state : { ...state, shortSince };
  }

  // The window: the estimates of the last UP_HOLD_MS, and the newest one before that span.
  const kept = [...state.window, { at: now, bps }];
  let first = 0;
  while (first + 1 < kept.length && kept[first + 1]!.at <= now - UP_HOLD_MS) first++;
  const window = kept.slice(Math.max(first, kept.length - MAX_WINDOW));
  const next: PriorityState = { ...state, window, shortSince: null };
  const covered = window.length > 1 && window[0]!.at <= now - UP_HOLD_MS;
  if (!covered || now - state.downAt < UP_HOLD_MS || step <= floor) return next;
  const held = signals.clean === true ? Math.max(...window.map((e) => e.bps)) : Math.min(...window.map((e) => e.bps));
  let target = step;
  while (target > floor && held >= need(target - 1) * UP_MARGIN) target--;
  return target === step ? next : { ...next, step: target, changedAt: now };
}

/** What the viewer is told: the step's name, or null when nothing is held back. */
export const degradation = (step: number): Step | null => (step <= 0 ? null : STEPS[Math.min(step, STEPS.length - 1)]!);
