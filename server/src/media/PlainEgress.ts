import { randomBytes } from 'node:crypto';
import type { MediaKind } from '@teleclass/shared';
import type { ms } from './mediasoup.js';
import { callerParameters } from './mediaErrors.js';
import type { PeerMedia } from './PeerMedia.js';

/** Master key + salt length of each SRTP suite (RFC 3711, RFC 7714). */
const KEY_BYTES: Record<ms.SrtpCryptoSuite, number> = {
  AEAD_AES_256_GCM: 44,
  AEAD_AES_128_GCM: 28,
  AES_CM_128_HMAC_SHA1_80: 30,
  AES_CM_128_HMAC_SHA1_32: 30,
};

/**
 * A participant's receiving leg as SRTP plain RTP to a local port (the worker encrypts, as it
 * would for a browser): one consumer per producer, all made at once and sending (as a viewer's
 * join makes its consumers, lecture/join.ts), then announced by SSRC together (the benchmark's
 * counter counts any SSRC from its first packet and takes its kind when told). Closes with the
 * participant's media or by `close()`.
 */
const TWCC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

/** The transport-wide-cc extension's id in a consumer's RTP parameters (null: not negotiated). */
export function twccIdOf(rtpParameters: ms.RtpParameters): number | null {
  return rtpParameters.headerExtensions?.find((h) => h.uri === TWCC_URI)?.id ?? null;
}

/** A plain egress as its receiver needs it to send RTCP back (see `PlainEgress.open`). */
export interface EgressLeg {
  port: number;
  suite: ms.SrtpCryptoSuite;
  keyBase64: string;
  twccId: number | null;
  ssrc: number;
}

/** Where a plain egress sends and what it tells its caller. */
export interface EgressOptions {
  to: { ip: string; port: number };
  /**
   * Told once, as soon as the consumers exist: every consumer's SSRC and kind, and the leg —
   * where the transport sends from, the key it decrypts the receiver's SRTCP with, the
   * transport-wide-cc extension's id and an SSRC it sends (the benchmark's counter sends
   * feedback with them, as a browser would). One call, so the benchmark tells its counter in
   * one message.
   */
  announce: (tracks: readonly { ssrc: number; kind: MediaKind }[], leg: EgressLeg) => void;
  /** The SRTP suite (default AES_CM_128_HMAC_SHA1_80; the benchmark uses the one Chromium negotiates). */
  cryptoSuite?: ms.SrtpCryptoSuite | undefined;
}

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
    { to, announce, cryptoSuite = 'AES_CM_128_HMAC_SHA1_80' }: EgressOptions,
  ): Promise<PlainEgress> {
    const transport = await callerParameters(peer.worker, () =>
      peer.router.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: true,
        comedia: false,
        enableSrtp: true,
        srtpCryptoSuite: cryptoSuite,
      }),
    );
    peer.ingests.add(transport); // closed with the participant
    transport.observer.once('close', () => peer.ingests.delete(transport));
    try {
      // The remote key decrypts what the receiver sends back (its RTCP: feedback, reports).
      const keyBase64 = randomBytes(KEY_BYTES[cryptoSuite]).toString('base64');
      await transport.connect({ ip: to.ip, port: to.port, srtpParameters: { cryptoSuite, keyBase64 } });
      // At once and sending, as a viewer's join consumes (lecture/join.ts), then all announced.
      const consumers = await Promise.all(
        producerIds.map((producerId) => callerParameters(peer.worker, () => transport.consume({ producerId, rtpCapabilities: peer.rtpCapabilities! }))),
      );
      const tracks = consumers.map((consumer) => {
        const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
        if (ssrc === undefined) throw new Error('consumer without SSRC');
        return { ssrc, kind: consumer.kind };
      });
      const first = consumers[0];
      if (first) announce(tracks, { port: transport.tuple.localPort, suite: cryptoSuite, keyBase64, twccId: twccIdOf(first.rtpParameters), ssrc: tracks[0]!.ssrc });
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
