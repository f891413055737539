import { randomUUID } from 'node:crypto';
import { FEED_PEER_ID } from '@teleclass/shared';
import type { WireRtpParameters } from '../media/lectureMediaTypes.js';
import { AUDIO_PT, profileLevelId, VIDEO_PT, type videoFigures } from './ffmpegRtmp.js';
import type { IngestService } from './IngestService.js';
import type { RtpRelay } from './rtpRelay.js';

/**
 * An ffmpeg-fed encoder (RTMP, SRT) goes on air: once ffmpeg has described the streams (its SDP:
 * the H.264 profile), PlainTransport producers of the `studio-feed` peer are made with the SSRCs
 * ffmpeg was told to use, and the relays start forwarding into them.
 */
export async function ffmpegFeedOnAir(
  ingest: IngestService,
  protocol: 'rtmp' | 'srt',
  lectureId: string,
  sdp: string,
  relays: { video: RtpRelay; audio: RtpRelay },
  ssrc: { video: number; audio: number },
  figures: ReturnType<typeof videoFigures>,
  close: () => void,
): Promise<void> {
  const feed = await ingest.feedOf(lectureId);
  const { media } = await ingest.registry.getOrCreate(lectureId);
  const replaced = feed.admit('rtmp');
  const videoParams: WireRtpParameters = {
    codecs: [{ mimeType: 'video/H264', payloadType: VIDEO_PT, clockRate: 90000, parameters: { 'packetization-mode': 1, 'profile-level-id': profileLevelId(sdp), 'level-asymmetry-allowed': 1 }, rtcpFeedback: [] }],
    encodings: [{ ssrc: ssrc.video }],
  } as WireRtpParameters;
  const audioParams: WireRtpParameters = {
    codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO_PT, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
    encodings: [{ ssrc: ssrc.audio }],
  } as WireRtpParameters;
  const producerIds: string[] = [];
  try {
    const v = await media.ingest(FEED_PEER_ID, { kind: 'video', source: 'camera', rtpParameters: videoParams });
    producerIds.push(v.producerId);
    relays.video.forwardTo(v.port);
    if (/m=audio/.test(sdp)) {
      const a = await media.ingest(FEED_PEER_ID, { kind: 'audio', source: 'microphone', rtpParameters: audioParams });
      producerIds.push(a.producerId);
      relays.audio.forwardTo(a.port);
    }
  } catch (error) {
    media.closePeer(FEED_PEER_ID);
    throw error;
  }
  feed.attach({
    protocol, id: randomUUID(), producerIds, videoCodec: 'H264',
    width: figures?.width ?? null, height: figures?.height ?? null, fps: figures?.fps ?? null,
    close: () => {
      close();
      media.closePeer(FEED_PEER_ID);
    },
  }, replaced);
}
