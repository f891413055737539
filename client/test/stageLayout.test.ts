import { describe, expect, it } from 'vitest';
import type { RemoteMedia } from '../src/media/sessionState.js';
import { stageLayout } from '../src/view/stageLayout.js';

const media = (source: 'camera' | 'screen'): RemoteMedia => ({
  consumerId: `c-${source}`,
  producerId: `p-${source}`,
  peerId: 'trainer',
  kind: 'video',
  source,
  track: { id: source } as MediaStreamTrack,
  paused: false,
});

describe('stageLayout', () => {
  it('shows nothing without video', () => {
    expect(stageLayout({ camera: null, screen: null })).toEqual({ main: null, pip: null });
  });

  it('shows the trainer large when only the camera is received', () => {
    expect(stageLayout({ camera: media('camera'), screen: null })).toEqual({ main: 'camera', pip: null });
  });

  it('shows the slides large and the trainer in the corner while sharing', () => {
    expect(stageLayout({ camera: media('camera'), screen: media('screen') })).toEqual({ main: 'screen', pip: 'camera' });
  });

  it('shows the slides alone when there is no camera', () => {
    expect(stageLayout({ camera: null, screen: media('screen') })).toEqual({ main: 'screen', pip: null });
  });
});
