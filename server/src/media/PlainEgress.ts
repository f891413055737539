import { randomBytes } from 'node:crypto';
import type { MediaKind } from '@teleclass/shared';
import type { ms } from './mediasoup.js';
import { callerParameters } from './mediaErrors.js';
import type { PeerMedia } from './PeerMedia.js';

const SRTP_SUITE = 'AES_CM_128_HMAC_SHA1_80' as const;

/**
 * A participant's receiving leg as SRTP plain RTP to a local port (the worker encrypts, as it
 * would for a browser): one consumer per producer, made paused, announced by SSRC, then resumed.
 * Closes with the participant's media or by `close()`.
 */
export class PlainEgress {
  readonly #transport: ms.PlainTransport;
  readonly tracks: readonly { ssrc: number; kind: MediaKind }[];

  private constructor(transport: ms.PlainTransport, tracks: { ssrc: number; kind: MediaKind }[]) {
    this.#transport = transport;
    this.tracks = tracks;
  }

  static async open(
    peer: PeerMedia,
    producerIds: readonly string[],
    to: { ip: string; port: number },
    track: (ssrc: number, kind: MediaKind) => void,
  ): Promise<PlainEgress> {
    const transport = await callerParameters(peer.worker, () =>
      peer.router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: true,
        comedia: false,
        enableSrtp: true,
        srtpCryptoSuite: SRTP_SUITE,
      }),
    );
    peer.ingests.add(transport); // closed with the participant
    transport.observer.once('close', () => peer.ingests.delete(transport));
    try {
      // The remote key only decrypts what the receiver would send back (nothing).
      await transport.connect({ ip: to.ip, port: to.port, srtpParameters: { cryptoSuite: SRTP_SUITE, keyBase64: randomBytes(30).toString('base64') } });
      const tracks: { ssrc: number; kind: MediaKind }[] = [];
      for (const producerId of producerIds) {
        const consumer = await callerParameters(peer.worker, () => transport.consume({ producerId, rtpCapabilities: peer.rtpCapabilities!, paused: true }));
        const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
        if (ssrc === undefined) throw new Error('consumer without SSRC');
        track(ssrc, consumer.kind);
        tracks.push({ ssrc, kind: consumer.kind });
        await consumer.resume();
      }
      return new PlainEgress(transport, tracks);
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  close(): void {
    this.#transport.close();
  }
}
