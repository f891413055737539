import { describe, expect, it } from 'vitest';
import { shownSize, ViewportReporter, type Size, type Timers } from '../src/view/viewport.js';

/** A clock the test moves by hand. */
function manualTimers() {
  let now = 0;
  let next = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = next++;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id) => void due.delete(id as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [id, timer] of [...due]) {
      if (timer.at <= now) {
        due.delete(id);
        timer.fn();
      }
    }
  };
  return { timers, advance };
}

describe('shownSize', () => {
  it('is the whole box in device pixels without a known picture size', () => {
    expect(shownSize({ width: 640, height: 360 }, null, 2)).toEqual({ width: 1280, height: 720 });
  });

  it('is the contained picture: a 16:9 video in a 4:3 box is letterboxed', () => {
    expect(shownSize({ width: 1024, height: 768 }, { width: 1280, height: 720 }, 1)).toEqual({ width: 1024, height: 576 });
  });

  it('is the contained picture: a 16:9 video in a tall box is pillarboxed', () => {
    expect(shownSize({ width: 1920, height: 800 }, { width: 1280, height: 720 }, 1.5)).toEqual({ width: 2133, height: 1200 });
  });

  it('treats a bad devicePixelRatio as 1 and never goes negative', () => {
    expect(shownSize({ width: 300, height: 200 }, null, 0)).toEqual({ width: 300, height: 200 });
    expect(shownSize({ width: -5, height: 0 }, null, 1)).toEqual({ width: 0, height: 0 });
  });
});

describe('ViewportReporter', () => {
  it('reports the first size at once, then debounces and skips repeats', () => {
    const { timers, advance } = manualTimers();
    const sent: Size[] = [];
    const reporter = new ViewportReporter((s) => sent.push(s), 300, timers);

    reporter.update({ width: 1280, height: 720 });
    expect(sent).toEqual([{ width: 1280, height: 720 }]);

    reporter.update({ width: 1000, height: 560 });
    reporter.update({ width: 800, height: 450 });
    advance(299);
    expect(sent).toHaveLength(1);
    advance(1);
    expect(sent).toEqual([
      { width: 1280, height: 720 },
      { width: 800, height: 450 },
    ]);

    reporter.update({ width: 800, height: 450 });
    advance(300);
    expect(sent).toHaveLength(2);
  });

  it('ignores empty sizes (a hidden element) and sends nothing after dispose', () => {
    const { timers, advance } = manualTimers();
    const sent: Size[] = [];
    const reporter = new ViewportReporter((s) => sent.push(s), 300, timers);
    reporter.update({ width: 0, height: 0 });
    expect(sent).toEqual([]);
    reporter.update({ width: 320, height: 180 });
    reporter.update({ width: 640, height: 360 });
    reporter.dispose();
    advance(1000);
    expect(sent).toEqual([{ width: 320, height: 180 }]);
  });
});
