/** What the studio sends: simulcast camera, speech-tuned microphone, a sharp screen. */
import type { types } from 'mediasoup-client';

/** Three simulcast layers (¼, ½, full resolution), each with three temporal layers. */
export const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_500_000, scalabilityMode: 'L1T3' },
];

export const CAMERA_CODEC_OPTIONS: types.ProducerCodecOptions = { videoGoogleStartBitrate: 1000 };

export const MICROPHONE_CODEC_OPTIONS: types.ProducerCodecOptions = { opusStereo: false, opusDtx: true, opusFec: true };

/**
 * Slides: one spatial layer at full resolution (the track's contentHint 'detail' keeps it sharp),
 * high bitrate, low frame rate (set on capture), in three temporal layers (L1T3), so that a viewer
 * on a weak link is sent fewer frames of the same sharp slide rather than a blurred one.
 */
export const SCREEN_ENCODINGS: types.RtpEncodingParameters[] = [{ maxBitrate: 2_500_000, scalabilityMode: 'L1T3' }];

export const CAMERA_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30 },
};

export const MICROPHONE_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

export const SCREEN_CONSTRAINTS: DisplayMediaStreamOptions = { video: { frameRate: 15 }, audio: false };
