/**
 * Plain RTP between a lecture and this machine, beside the WebRTC participants: streams taken in
 * from a local sender (the server's own encoders, tests, the benchmark) and a participant's copy
 * of producers sent out as SRTP (the benchmark's counted viewer leg). LectureMedia's door to both.
 */
import { TeleclassError, type MediaKind } from '@teleclass/shared';
import type { ms } from './mediasoup.js';
import { callerParameters, pipeFailure } from './mediaErrors.js';
import type { PeerPlacement } from './PeerPlacement.js';
import { PlainEgress, type EgressOptions } from './PlainEgress.js';
import type { ProducerBook } from './ProducerBook.js';
import type { IngestStream } from './lectureMediaTypes.js';

/** Streams (distinct SSRCs) into one muxed RTP+RTCP port that takes its first sender; closes with the participant. */
export async function ingestPlain(
  placement: PeerPlacement,
  producers: ProducerBook,
  peerId: string,
  streams: readonly IngestStream[],
  stillOpen: () => void,
): Promise<{ producerIds: string[]; port: number }> {
  const peer = await placement.place(peerId, placement.homeWorker());
  const listenInfo = { protocol: 'udp', ip: '127.0.0.1' } as const;
  const transport = await callerParameters(peer.worker, () => peer.router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true }));
  peer.ingests.add(transport);
  transport.observer.once('close', () => peer.ingests.delete(transport));
  try {
    const producerIds: string[] = [];
    for (const req of streams) producerIds.push(await producers.produceOn(peer, transport, req, stillOpen));
    return { producerIds, port: transport.tuple.localPort };
  } catch (error) {
    transport.close();
    throw error;
  }
}

/**
 * A participant's copy of `producerIds` as SRTP plain RTP to `to`: on the router the participant
 * was placed on, piped there like its WebRTC consumers, closed with the participant or by `close()`.
 */
export async function egressPlain(
  placement: PeerPlacement,
  producers: ProducerBook,
  peerId: string,
  producerIds: readonly string[],
  options: EgressOptions,
) {
  const peer = placement.peer(peerId);
  if (!peer.rtpCapabilities) throw new TeleclassError('INVALID_STATE', 'Open the receiving transport with your RTP capabilities first.');
  for (const id of producerIds) {
    const source = producers.home(id);
    await placement.pipeTo(id, source, peer).catch((error: unknown) => Promise.reject(pipeFailure(error, source)));
  }
  return PlainEgress.open(peer, producerIds, options);
}
