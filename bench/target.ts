// What the benchmark drives: the Teleclass server or a bare mediasoup fan-out, same interface.
import { randomBytes } from 'node:crypto';
import type { ms } from '../server/src/media/mediasoup.js';
import { twccIdOf, type EgressLeg } from '../server/src/media/PlainEgress.js';
import { INGEST } from './clip.js';

export interface ViewerHandle {
  /** Which worker (slot) the viewer's media lives on. */
  workerIndex: number;
  /** Consumer SSRCs the counter will see, with their kind. */
  tracks: { ssrc: number; kind: 'video' | 'audio' }[];
  /**
   * When the join was pressed where the viewer is (its load generator's CLOCK_MONOTONIC, the
   * clock of `process.hrtime.bigint()` and of the counter), if not at the `addViewer` call: the
   * clock of join → first RTP starts there, not at the bench's message to that process.
   */
  pressedNs?: bigint;
  /** When the leg that gates its media was set up (the same clock), if some of its phases overlap: *after the legs* is measured from there. */
  legsDoneNs?: bigint;
  /** Where the viewer's join time went, ms per phase in order (join → first RTP breakdown). */
  phases?: Record<string, number>;
  close(): void;
}

export interface Target {
  readonly name: 'teleclass' | 'bare';
  /** The workers, slot order. */
  workers(): ms.Worker[];
  /** The process that hosts the server (or the bare control calls) and the load generator, if any. */
  pids(): { server: number; loadgen?: number | undefined };
  /** Where the relay sends the studio's RTP (a comedia PlainTransport). */
  readonly ingest: { ip: string; port: number };
  /** The attendee link a browser opens (Teleclass only: bare mediasoup has no signaling or page). */
  readonly attendeeUrl?: string;
  /**
   * The viewer's page loads, before its join press (Teleclass: the socket.io connection and the
   * device loaded with the router's capabilities, as the page does while its name screen shows):
   * outside join → first RTP, whose clock starts at `addViewer`. Bare mediasoup has no page.
   */
  openViewer?(index: number): Promise<void>;
  /**
   * Adds one viewer (its join press): `sink.announce` is called once, with every consumer SSRC
   * and the counted leg (the counter sends it feedback), as soon as they exist.
   */
  addViewer(index: number, counter: { ip: string; port: number }, sink: CounterSink, suite?: SrtpSuite): Promise<ViewerHandle>;
  close(): Promise<void>;
}

/** The studio's RTP parameters: what ffmpeg sends (VP8 and Opus, one SSRC each). */
export const INGEST_RTP: Record<'video' | 'audio', ms.RtpParameters> = {
  video: {
    codecs: [{ mimeType: 'video/VP8', payloadType: INGEST.video.payloadType, clockRate: 90000 }],
    encodings: [{ ssrc: INGEST.video.ssrc }],
  },
  audio: {
    codecs: [{ mimeType: 'audio/opus', payloadType: INGEST.audio.payloadType, clockRate: 48000, channels: 2, parameters: { 'sprop-stereo': 1 } }],
    encodings: [{ ssrc: INGEST.audio.ssrc }],
  },
};

export type SrtpSuite = ms.SrtpCryptoSuite;

/**
 * A viewer's counted leg as the counter needs it to send transport-wide congestion control
 * feedback, as the viewer's browser would (the server's plain egress tells the same).
 */
export type CountedLeg = EgressLeg;

/** Where a viewer's counted leg is told to the counter. */
export interface CounterSink {
  /** The viewer's consumer SSRCs and its counted leg, in one message, as soon as they exist. */
  announce(tracks: readonly { ssrc: number; kind: 'video' | 'audio' }[], leg: CountedLeg): void;
}

/**
 * The suite of every counted viewer leg: the one Chromium negotiates with the worker over DTLS
 * (mediasoup's first choice, which Chromium offers); the WebRTC sample reads it back from
 * getStats' transport `srtpCipher` and the bench test checks that the two agree.
 */
export const SRTP_SUITE: SrtpSuite = 'AEAD_AES_256_GCM';
/** Master key + salt length of each suite (RFC 3711, RFC 7714). */
const KEY_BYTES: Record<SrtpSuite, number> = { AEAD_AES_256_GCM: 44, AEAD_AES_128_GCM: 28, AES_CM_128_HMAC_SHA1_80: 30, AES_CM_128_HMAC_SHA1_32: 30 };

/** A viewer's receiving leg: an SRTP PlainTransport sending to the counter (the worker encrypts). */
export async function srtpViewerTransport(
  router: ms.Router,
  counter: { ip: string; port: number },
  suite: SrtpSuite = SRTP_SUITE,
): Promise<{ transport: ms.PlainTransport; keyBase64: string }> {
  const transport = await router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: false,
    enableSrtp: true,
    srtpCryptoSuite: suite,
  });
  // The remote key: the worker decrypts the counter's feedback with it (SRTCP).
  const keyBase64 = randomBytes(KEY_BYTES[suite]).toString('base64');
  await transport.connect({ ip: counter.ip, port: counter.port, srtpParameters: { cryptoSuite: suite, keyBase64 } });
  return { transport, keyBase64 };
}

/**
 * Consumes `producerIds` on `transport`, all at once and sending, then tells the counter the SSRCs
 * and the leg in one message (it counts any SSRC from its first packet, and takes its kind when
 * told): as Teleclass's counted leg does (server/src/media/PlainEgress.ts), so both arms' counted
 * legs are the same work.
 */
export async function consumeAll(
  leg: { transport: ms.PlainTransport; keyBase64: string; suite: SrtpSuite },
  producerIds: string[],
  rtpCapabilities: ms.RtpCapabilities,
  sink: CounterSink,
): Promise<{ ssrc: number; kind: 'video' | 'audio' }[]> {
  const consumers = await Promise.all(producerIds.map((producerId) => leg.transport.consume({ producerId, rtpCapabilities })));
  const tracks = consumers.map((consumer) => {
    const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
    if (ssrc === undefined) throw new Error('consumer without SSRC');
    return { ssrc, kind: consumer.kind };
  });
  const first = consumers[0];
  if (first) sink.announce(tracks, { port: leg.transport.tuple.localPort, suite: leg.suite, keyBase64: leg.keyBase64, twccId: twccIdOf(first.rtpParameters), ssrc: tracks[0]!.ssrc });
  return tracks;
}
