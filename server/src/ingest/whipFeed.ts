import { randomUUID } from 'node:crypto';
import { FEED_PEER_ID } from '@teleclass/shared';
import type { LectureRoom } from '../lecture/LectureRegistry.js';
import { buildAnswer, parseOffer } from './whipSdp.js';
import type { StudioFeed } from './StudioFeed.js';

export interface WhipSession {
  id: string;
  answer: string;
  /** Identifies the ICE session (RFC 9725 §4.3.1: the ETag of the resource). */
  etag: string;
}

/**
 * One WHIP publication: a WebRTC transport on the lecture's home router (on the worker's
 * WebRtcServer, ICE-lite), connected with the offer's fingerprint, one producer per accepted
 * m-line (video as the camera, audio as the microphone), then the answer.
 */
export async function openWhipFeed(room: LectureRoom, feed: StudioFeed, offerSdp: string, iceConsentTimeout: number): Promise<WhipSession> {
  const { media } = room;
  const offer = parseOffer(offerSdp, await media.rtpCapabilities());
  const replaced = feed.admit('whip');
  const transport = await media.createTransport(FEED_PEER_ID, 'send', undefined, { iceConsentTimeout });
  const producerIds: string[] = [];
  try {
    await media.connectTransport(FEED_PEER_ID, transport.id, { role: offer.dtlsRole, fingerprints: offer.fingerprints as never });
    for (const track of offer.tracks) {
      const source = track.kind === 'video' ? 'camera' : 'microphone';
      producerIds.push(await media.produce(FEED_PEER_ID, { transportId: transport.id, kind: track.kind, source, rtpParameters: track.rtpParameters, paused: true }));
    }
  } catch (error) {
    media.closePeer(FEED_PEER_ID);
    throw error;
  }
  const id = randomUUID();
  const video = offer.tracks.find((t) => t.kind === 'video')?.rtpParameters.codecs[0]?.mimeType.split('/')[1] ?? null;
  feed.attach({ protocol: 'whip', id, producerIds, videoCodec: video, close: () => media.closePeer(FEED_PEER_ID) }, replaced);
  return { id, answer: buildAnswer(offer, transport), etag: `"${transport.iceParameters.usernameFragment}"` };
}
