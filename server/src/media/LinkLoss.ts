/**
 * A viewer's loss readings, for its receive priority (ViewerPriority reads the transport's
 * `rtpPacketLossSent` about once a second while the viewer is held back or short): whether the
 * link is clean, steady, whether loss corroborates a shortfall of the estimate, and whether heavy
 * loss has held long enough to measure the link's capacity. Split out of ViewerPriority.ts.
 */

/**
 * Loss the viewer reports (transport-cc feedback) above which what mediasoup sends, less what is
 * lost, is taken as the link's capacity: the delay- and loss-based estimate falls over seconds,
 * while a queue overflowing at the viewer's link loses sound at once.
 */
export const OVERLOAD_LOSS = 0.1;
/**
 * A clean link never makes the ladder believe a probe's peak for more than one step at a time
 * (LecturePriority: a clean link steps up one step per CLEAN_STEP_MS, or straight to a step the
 * estimate carried twice over). It once did, when the loss read 0 for 2 s, on the reasoning that
 * 3 % random loss never reads 0 over a few hundred packets. But mediasoup's figure counts only the
 * packets carrying transport-cc (video and probes, not a consumer's sound), and a viewer held back
 * to its slides at the lowest frame rate gets a dozen of those a second: behind 400 kbit/s and 3 %
 * loss it read 0 for seconds in one run of six, and the ladder climbed to `camera-slow` on a
 * probe's 640 kbit/s with the link at 400 (and in another, to `full`).
 */
/**
 * The link is clean when the loss read 0 on every reading (once a second) for this long. mediasoup's
 * figure is a weighted average of the last 24 transport-cc feedbacks, so one reading of 0 already
 * says none of those lost a packet; a lifted link read clean 5–6 s after its last loss.
 */
const CLEAN_HOLD_MS = 1_000;
/**
 * Steady: the loss read once a second averaged under STEADY_LOSS over STEADY_MS of readings with no
 * gap over STEADY_GAP_MS (LecturePriority's LinkSignals.steady: the camera above its lowest layer).
 */
const STEADY_MS = 10_000;
const STEADY_LOSS = 0.005;
const STEADY_GAP_MS = 2_500;
/** A reading older than this says nothing about the link now (a worker too busy to answer is not "no loss"). */
const READ_MAX_AGE_MS = 1_500;
/** Loss that corroborates a shortfall of the estimate (a link too small drops packets). */
const CORROBORATE_LOSS = 0.02;
/** Heavy loss must show on readings this far apart before it counts (see record). */
const HEAVY_HOLD_MS = 900;
/** Loss reported within this long corroborates a shortfall of the estimate (LecturePriority: no step down without it). */
const CORROBORATE_MS = 4_000;
/** A reading: when, and the share of packets the viewer reported lost (0–1). */
interface Reading {
  at: number;
  loss: number;
}

export class LinkLoss {
  #last: number | null = null;
  #readAt = -Infinity;
  /** The first reading of no loss since the last that showed some (null: the last one showed loss, or none was read lately). */
  #cleanSince: number | null = null;
  /** The readings of the last STEADY_MS (and the one before), oldest first. */
  #readings: Reading[] = [];
  /** When the viewer last reported loss of CORROBORATE_LOSS or more. */
  #corroboratedAt = -Infinity;
  /** Since when every reading has shown OVERLOAD_LOSS or more (null: the last one did not). */
  #heavySince: number | null = null;

  /** The last reading's loss (null: none yet). */
  get last(): number | null {
    return this.#last;
  }

  /** No reading from here on for a while (all is well): what was read says nothing then. */
  forget(): void {
    this.#cleanSince = null;
    this.#readings = [];
  }

  /**
   * One reading. True when heavy loss (OVERLOAD_LOSS or more) has held over readings HEAVY_HOLD_MS
   * apart: one reading may be a transport's first feedback, or a loaded machine's hiccup, and the
   * capacity it measures steps the viewer down at once.
   */
  record(loss: number, now: number): boolean {
    this.#last = loss;
    this.#readAt = now;
    if (loss > 0) this.#cleanSince = null;
    else this.#cleanSince ??= now;
    this.#readings.push({ at: now, loss });
    while (this.#readings.length > 1 && this.#readings[1]!.at <= now - STEADY_MS) this.#readings.shift();
    if (loss >= CORROBORATE_LOSS) this.#corroboratedAt = now;
    if (loss < OVERLOAD_LOSS) this.#heavySince = null;
    else this.#heavySince ??= now;
    return this.#heavySince !== null && now - this.#heavySince >= HEAVY_HOLD_MS;
  }

  /** Clean: readings of no loss, and only such, CLEAN_HOLD_MS apart or more, the last one fresh. */
  clean(now: number): boolean {
    return this.#cleanSince !== null && now - this.#readAt <= READ_MAX_AGE_MS && this.#readAt - this.#cleanSince >= CLEAN_HOLD_MS;
  }

  /** The loss averaged under STEADY_LOSS over the last STEADY_MS of readings, read without a gap, the last one fresh. */
  steady(now: number): boolean {
    const r = this.#readings;
    if (r.length < 2 || r[0]!.at > now - STEADY_MS || now - r.at(-1)!.at > READ_MAX_AGE_MS) return false;
    for (let i = 1; i < r.length; i++) if (r[i]!.at - r[i - 1]!.at > STEADY_GAP_MS) return false;
    return r.reduce((sum, x) => sum + x.loss, 0) / r.length < STEADY_LOSS;
  }

  /** Loss reported lately corroborates a shortfall of the estimate (LecturePriority: no step down without it). */
  corroborated(now: number): boolean {
    return now - this.#corroboratedAt <= CORROBORATE_MS;
  }
}
