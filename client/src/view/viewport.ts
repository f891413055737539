/**
 * The size a video is shown at, for `setViewport`: the picture inside its box (object-fit:
 * contain) in device pixels, reported at once the first time and then at most every `delayMs`.
 */

export interface Size {
  width: number;
  height: number;
}

/**
 * The part of a `box` (CSS px) a video of `intrinsic` size fills with object-fit: contain, in
 * device pixels. Without a known intrinsic size, the whole box.
 */
export function shownSize(box: Size, intrinsic: Size | null, devicePixelRatio: number): Size {
  const dpr = devicePixelRatio > 0 ? devicePixelRatio : 1;
  let { width, height } = box;
  if (intrinsic && intrinsic.width > 0 && intrinsic.height > 0 && width > 0 && height > 0) {
    const scale = Math.min(width / intrinsic.width, height / intrinsic.height);
    width = intrinsic.width * scale;
    height = intrinsic.height * scale;
  }
  return { width: Math.round(Math.max(0, width) * dpr), height: Math.round(Math.max(0, height) * dpr) };
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Reports sizes: the first one now, later ones debounced, repeats of the last one never. */
export class ViewportReporter {
  readonly #report: (size: Size) => void;
  readonly #delayMs: number;
  readonly #timers: Timers;
  #last: string | null = null;
  #timer: unknown = null;
  #pending: Size | null = null;

  constructor(report: (size: Size) => void, delayMs = 300, timers: Timers = realTimers) {
    this.#report = report;
    this.#delayMs = delayMs;
    this.#timers = timers;
  }

  update(size: Size): void {
    if (size.width <= 0 || size.height <= 0) return; // hidden: keep the last report
    if (this.#last === null) {
      this.#send(size);
      return;
    }
    this.#pending = size;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      const pending = this.#pending;
      this.#pending = null;
      if (pending) this.#send(pending);
    }, this.#delayMs);
  }

  dispose(): void {
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = null;
  }

  #send(size: Size): void {
    const key = `${size.width}x${size.height}`;
    if (key === this.#last) return;
    this.#last = key;
    this.#report(size);
  }
}
