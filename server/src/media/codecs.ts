import { createRequire } from 'node:module';
import path from 'node:path';
import type { ms } from './mediasoup.js';

/**
 * The codecs every router offers. Opus for all audio; VP8 first for video (simulcast works in
 * every browser with it), H264 for the studio feed (WHIP, RTMP): constrained baseline, main and
 * high, forwarded as the encoder sends them (every supported browser decodes all three).
 */
export const MEDIA_CODECS: ms.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 1000 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': '42e01f',
      'level-asymmetry-allowed': 1,
      'x-google-start-bitrate': 1000,
    },
  },
  ...['4d001f', '64001f'].map((profile): ms.RouterRtpCodecCapability => ({
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': profile, 'level-asymmetry-allowed': 1, 'x-google-start-bitrate': 1000 },
  })),
];

/**
 * The RTP capabilities of every router made with MEDIA_CODECS, worked out once in this process
 * as mediasoup's `Worker.createRouter` does it (`ortc.generateRouterRtpCapabilities`, in Node, no
 * worker call): the same on every router, worker and node. The page gets them before it joins
 * (`routerCapabilities`), with no lecture room opened for it; a test checks they equal a real
 * router's.
 */
export function routerRtpCapabilities(): ms.RtpCapabilities {
  cached ??= ortc().generateRouterRtpCapabilities(structuredClone(MEDIA_CODECS)) as ms.RtpCapabilities;
  return cached;
}
let cached: ms.RtpCapabilities | undefined;

/** mediasoup's own ortc module (not in its package exports: loaded by file, beside its main module). */
function ortc(): { generateRouterRtpCapabilities(codecs: ms.RouterRtpCodecCapability[]): unknown } {
  const require = createRequire(import.meta.url);
  return require(path.join(path.dirname(require.resolve('mediasoup')), 'ortc.js')) as ReturnType<typeof ortc>;
}
