/** What a viewer and the studio are told of a weak link (the server's priority step). Pure (tested in node). */
import type { PriorityStep, ReceivePriority } from '@teleclass/shared';

export type WeakLinkNote = { key: string; kind: 'lower' | 'paused' | 'slides' | 'chosen' };

/** The viewer's note for its step, or null when nothing is held back. */
export function weakLinkNote(p: ReceivePriority): WeakLinkNote | null {
  if (p.manual) return { key: 'weakLink.chosen', kind: 'chosen' };
  switch (p.step) {
    case 'full':
      return null;
    case 'camera-mid':
    case 'camera-low':
    case 'camera-slow':
      return { key: 'weakLink.lower', kind: 'lower' };
    case 'camera-off':
      return { key: 'weakLink.paused', kind: 'paused' };
    case 'slides-slow':
    case 'slides-min':
      return { key: 'weakLink.slides', kind: 'slides' };
  }
}

/** The studio's short word for what a classroom's link holds back (null: nothing). */
export function siteDegradationKey(step: PriorityStep | null): string | null {
  switch (step) {
    case null:
    case 'full':
      return null;
    case 'camera-mid':
      return 'weakLink.site.cameraMid';
    case 'camera-low':
    case 'camera-slow':
      return 'weakLink.site.cameraLow';
    case 'camera-off':
      return 'weakLink.site.cameraOff';
    case 'slides-slow':
    case 'slides-min':
      return 'weakLink.site.slidesSlow';
  }
}
