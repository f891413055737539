import { describe, expect, it } from 'vitest';
import type { FeedView } from '@teleclass/shared';
import { arrangeRemote } from '../src/media/remoteTracks.js';
import { feedFigures } from '../src/view/feedFigures.js';
import { viewerScreen } from '../src/view/viewerScreen.js';
import { createI18n } from '../src/i18n/index.js';

const en = createI18n('en').t;

const feedCam = { producerId: 'p-feed', consumerId: 'c-feed', peerId: 'studio-feed', kind: 'video', source: 'camera', paused: false } as never;
const trainer = { id: 't', role: 'trainer', displayName: 'T', site: null, joinedAt: 0, soundBlocked: false } as const;
const base = { phase: 'joined', lecture: { state: 'live' }, error: null, peers: [trainer] } as never as Parameters<typeof viewerScreen>[0];

describe('the studio feed on a viewer screen', () => {
  it('says the feed was interrupted while its picture stays', () => {
    const remote = { camera: feedCam, screen: null, audio: [], stage: [] };
    expect(viewerScreen({ ...base, remote, stalledProducers: ['p-feed'] })).toEqual({ kind: 'live', hasVideo: true, feedInterrupted: true });
    expect(viewerScreen({ ...base, remote, stalledProducers: [] })).toEqual({ kind: 'live', hasVideo: true });
  });
  it('keeps the lecture on while the feed is on air without the studio page', () => {
    const remote = { camera: feedCam, screen: null, audio: [], stage: [] };
    expect(viewerScreen({ ...base, peers: [], remote, stalledProducers: [] }).kind).toBe('live');
  });
  it('shows the camera on air: a flowing one beats a newer paused one', () => {
    const browserCam = { ...(feedCam as object), producerId: 'p-cam', consumerId: 'c-cam', peerId: 't' } as never;
    const pausedFeed = { ...(feedCam as object), paused: true } as never;
    expect(arrangeRemote([browserCam, pausedFeed], [], [trainer], null).camera).toBe(browserCam);
    expect(arrangeRemote([{ ...(browserCam as object), paused: true } as never, feedCam], [], [trainer], null).camera).toBe(feedCam);
  });
});

describe('the studio line about the feed', () => {
  const feed: FeedView = { protocol: 'whip', state: 'live', onAir: true, since: 0, videoCodec: 'H264', width: null, height: null, fps: null, bitrate: 4_200_000 };
  it('reads like the studio console', () => {
    expect(feedFigures(feed, { width: 1920, height: 1080, fps: 30 }, en)).toBe('Studio feed · WHIP · 1920×1080 · 30 fps · 4.2 Mbit/s');
    expect(feedFigures({ ...feed, protocol: 'rtmp', width: 960, height: 540, fps: 25 }, null, en)).toBe('Studio feed · RTMP · 960×540 · 25 fps · 4.2 Mbit/s');
  });
});
