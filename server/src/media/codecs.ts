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
