import { TeleclassError } from '@teleclass/shared';
import type { ms } from './mediasoup.js';
import { pipeFailure } from './mediaErrors.js';
import type { PeerPlacement } from './PeerPlacement.js';
import type { ProducerBook } from './ProducerBook.js';
import type { ConsumerInfo, WireRtpCapabilities } from './lectureMediaTypes.js';

/** What one consume asks (LectureMedia.consume). */
export interface ConsumeRequest {
  peerId: string;
  transportId: string;
  producerId: string;
  /** Created sending instead of paused (the client set its track up before its transport connects). */
  resume: boolean;
  /**
   * The device's, when its receiving transport was opened without them (with its join); kept
   * for its later consumes (each consume checks them: PeerMedia.consume).
   */
  rtpCapabilities?: WireRtpCapabilities | undefined;
  /** The consumer closed because its producer did (the viewer is told). */
  onProducerClose: (consumerId: string) => void;
}

/**
 * A consumer of `producerId` on the participant's receiving transport: the stream piped to the
 * participant's router first (once per worker), the caps checked before and after mediasoup
 * answered (the codecs by mediasoup's consume itself), and every assumption checked again after
 * each await (the stream may have ended, the viewer left).
 */
export async function consumeFor(
  deps: { placement: PeerPlacement; producers: ProducerBook; consumersPerPeer: number },
  req: ConsumeRequest,
): Promise<ConsumerInfo> {
  const { placement, producers, consumersPerPeer } = deps;
  const { peerId, producerId } = req;
  const peer = placement.peer(peerId);
  const transport = peer.transport(req.transportId);
  if (transport.appData['direction'] !== 'recv') {
    throw new TeleclassError('INVALID_STATE', 'This is a sending transport.');
  }
  if (req.rtpCapabilities) peer.rtpCapabilities = req.rtpCapabilities as ms.RtpCapabilities;
  const source = producers.home(producerId);
  if (source.view.peerId === peerId) throw new TeleclassError('INVALID_STATE', 'You cannot receive your own stream.');
  if (!peer.rtpCapabilities) throw new TeleclassError('INVALID_STATE', 'Open the receiving transport with your RTP capabilities first.');
  peer.assertConsumerRoom(producerId, consumersPerPeer);
  await placement.pipeTo(producerId, source, peer).catch((error: unknown) => Promise.reject(pipeFailure(error, source)));
  // Re-checked after the await: the stream may have ended (the lecture ended) or the viewer left.
  if (source.producer.closed) throw new TeleclassError('NOT_FOUND', 'That stream has ended.');
  if (peer.closed) throw new TeleclassError('NOT_FOUND', 'You have left.');
  // Whether the browser can decode it is mediasoup's consume's own check (PeerMedia.consume
  // answers MEDIA_ERROR for it): a canConsume first cloned and validated the capabilities again.
  const consumer = await peer.consume(transport, producerId, source.view, consumersPerPeer, () => req.onProducerClose(consumer.id), !req.resume);
  return {
    id: consumer.id,
    paused: consumer.paused,
    producerId,
    peerId: source.view.peerId,
    kind: consumer.kind,
    source: source.view.source,
    rtpParameters: consumer.rtpParameters,
    producerPaused: consumer.producerPaused,
  };
}
