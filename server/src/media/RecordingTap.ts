import type { ms } from './mediasoup.js';

/** The codecs a recording takes as they are (no transcoding): Opus, VP8, H.264 (a studio feed); no RTX, no extensions. */
const RECORDABLE = new Set(['audio/opus', 'video/vp8', 'video/h264']);
/** Above any layer a stream has (the worker clamps preferred layers to what the stream has). */
const HIGHEST_LAYERS = { spatialLayer: 255, temporalLayer: 255 };

/** The simulcast layer a tap forwards (spatial 0 is the smallest); undefined while none. */
export type TapLayers = { spatialLayer: number; temporalLayer?: number } | undefined;

/**
 * One producer's stream sent as plain RTP to a local port, where ffmpeg writes it to disk. The
 * consumer starts paused; `start()` connects it once ffmpeg listens, resumes it and asks for a
 * key frame so the file begins cleanly.
 */
export class RecordingTap {
  private constructor(
    private readonly transport: ms.PlainTransport,
    private readonly consumer: ms.Consumer,
  ) {}

  static async open(router: ms.Router, producer: ms.Producer): Promise<RecordingTap> {
    const transport = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: false,
      comedia: false,
    });
    try {
      const codecs = (router.rtpCapabilities.codecs ?? []).filter((c) => RECORDABLE.has(c.mimeType.toLowerCase()));
      // The best the sender has: the worker clamps these to the stream's top spatial and temporal
      // layer. This transport has no bandwidth estimation, so the consumer forwards the top layer
      // whenever the sender sends it and falls back (then comes back up) only when the sender
      // stops sending it; each switch is a `layerschange` (onLayersChange).
      const consumer = await transport.consume({
        producerId: producer.id,
        rtpCapabilities: { codecs, headerExtensions: [] },
        paused: true,
        preferredLayers: HIGHEST_LAYERS,
      });
      return new RecordingTap(transport, consumer);
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  get kind(): 'audio' | 'video' {
    return this.consumer.kind;
  }

  get closed(): boolean {
    return this.consumer.closed;
  }

  /** An SDP that tells ffmpeg what arrives on `port` (RTCP on port + 1). */
  sdp(port: number): string {
    const codec = this.consumer.rtpParameters.codecs[0]!;
    const [, name] = codec.mimeType.split('/');
    const channels = codec.channels && codec.channels > 1 ? `/${codec.channels}` : '';
    return [
      'v=0',
      'o=- 0 0 IN IP4 127.0.0.1',
      's=Teleclass recording',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=${this.consumer.kind} ${port} RTP/AVP ${codec.payloadType}`,
      `a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${channels}`,
      ...(name?.toLowerCase() === 'h264' ? [`a=fmtp:${codec.payloadType} packetization-mode=1`] : []),
      'a=recvonly',
      '',
    ].join('\n');
  }

  /**
   * Connects to ffmpeg's port and lets the stream flow. Resolves with when the first media it
   * can start a file with went out (audio: the first packet; video: the first key frame), which
   * may be later than now when the sender has not sent anything yet (a share that just began).
   */
  async start(port: number): Promise<{ firstMedia: Promise<number> }> {
    const wanted = this.consumer.kind === 'video' ? 'keyframe' : 'rtp';
    const firstMedia = new Promise<number>((resolve) => {
      const onTrace = (trace: { type: string }) => {
        if (trace.type !== wanted) return;
        resolve(Date.now());
        this.consumer.off('trace', onTrace);
        void this.consumer.enableTraceEvent([]).catch(() => undefined);
      };
      this.consumer.on('trace', onTrace);
    });
    await this.consumer.enableTraceEvent([wanted]);
    await this.transport.connect({ ip: '127.0.0.1', port, rtcpPort: port + 1 });
    await this.consumer.resume();
    if (this.consumer.kind === 'video') await this.consumer.requestKeyFrame();
    return { firstMedia };
  }

  async requestKeyFrame(): Promise<void> {
    if (this.consumer.kind === 'video' && !this.consumer.closed) await this.consumer.requestKeyFrame();
  }

  /** The layer it forwards now (simulcast), undefined for a single-layer stream or while none. */
  get layers(): TapLayers {
    return this.consumer.currentLayers;
  }

  /** Each switch of the forwarded simulcast layer (resolution changes with the spatial layer). */
  onLayersChange(listener: (layers: TapLayers) => void): void {
    this.consumer.on('layerschange', listener);
  }

  /** Called when it stops with its producer (closed, or its worker died). */
  onClose(listener: () => void): void {
    this.consumer.observer.once('close', listener);
  }

  close(): void {
    this.transport.close();
  }
}
