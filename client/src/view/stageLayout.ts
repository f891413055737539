/**
 * What the stage shows, from what is received: the trainer large; or, while slides are shared,
 * the slides large and the trainer in a picture-in-picture corner.
 */
import type { StageTracks } from './media.js';

export interface StageLayout {
  /** The large picture. */
  main: 'camera' | 'screen' | null;
  /** The small corner picture. */
  pip: 'camera' | null;
}

export function stageLayout(remote: Pick<StageTracks, 'camera' | 'screen'>): StageLayout {
  if (remote.screen) return { main: 'screen', pip: remote.camera ? 'camera' : null };
  if (remote.camera) return { main: 'camera', pip: null };
  return { main: null, pip: null };
}
