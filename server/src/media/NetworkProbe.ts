import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { TeleclassError, type MediaKind, type ProbeFigures, type ProbeStart } from '@teleclass/shared';
import { MEDIA_CODECS } from './codecs.js';
import type { WireRtpParameters } from './lectureMediaTypes.js';
import { callerParameters } from './mediaErrors.js';
import type { ms } from './mediasoup.js';
import type { PooledWorker, WorkerPool } from './WorkerPool.js';

export interface NetworkProbeLimits {
  /** Probes open at once on this server (PROBE_MAX_CONCURRENT). */
  concurrent: number;
  /** A probe is closed this long after it was opened, finished or not (PROBE_MAX_SECONDS), ms. */
  maxMs: number;
}

/** Why a probe was closed. */
export type ProbeCloseReason = 'finished' | 'expired' | 'worker' | 'shutdown';

export type NetworkProbeEvents = { probeclosed: [probeId: string, reason: ProbeCloseReason] };

/** Most one probe's transport may receive: well above the test stream's own cap. */
const MAX_INCOMING_BITRATE = 8_000_000;
const INITIAL_OUTGOING_BITRATE = 1_000_000;
/** A probe weighs on its worker's placement like a few consumers. */
const PROBE_LOAD = 4;

interface Probe {
  readonly id: string;
  readonly owner: string;
  readonly worker: PooledWorker;
  readonly router: ms.Router;
  readonly transport: ms.WebRtcTransport;
  readonly producers: Map<MediaKind, ms.Producer | null>;
  readonly timer: NodeJS.Timeout;
  connected: boolean;
  firstProduceAt: number | null;
  /** When DTLS came up: no RTP arrives before. */
  dtlsAt: number | null;
  closed: boolean;
}

/**
 * The pre-flight network test against the SFU: a short-lived WebRTC send transport on a router of
 * its own (on the least-loaded worker, through the same WebRtcServer port as lectures), to which a
 * browser sends a test stream for a few seconds; `finish` reads what the SFU received (bytes,
 * packets, losses) and closes it all. One probe per owner (a site, a lecture's trainer) at a time,
 * at most `concurrent` on the server, each closed after `maxMs` whatever happens. Callers get ids
 * and plain parameters, never mediasoup objects; every refusal is a coded TeleclassError.
 */
export class NetworkProbe extends EventEmitter<NetworkProbeEvents> {
  readonly #pool: WorkerPool;
  readonly #limits: NetworkProbeLimits;
  readonly #now: () => number;
  readonly #probes = new Map<string, Probe>();
  /** Owners with a probe open or being opened (held across the awaits of `open`). */
  readonly #owners = new Set<string>();
  #closed = false;

  constructor(pool: WorkerPool, limits: NetworkProbeLimits, now: () => number = Date.now) {
    super();
    this.#pool = pool;
    this.#limits = limits;
    this.#now = now;
  }

  /** Probes open or being opened now. */
  get active(): number {
    return this.#owners.size;
  }

  get limits(): NetworkProbeLimits {
    return { ...this.#limits };
  }

  async open(owner: string): Promise<ProbeStart> {
    if (this.#closed) throw new TeleclassError('MEDIA_ERROR', 'The server is shutting down.');
    if (this.#owners.has(owner)) throw new TeleclassError('INVALID_STATE', 'A network test is already running here; try again in a few seconds.');
    if (this.#owners.size >= this.#limits.concurrent) {
      throw new TeleclassError('LIMIT', `The server runs ${this.#limits.concurrent} network test(s) at once already; try again in a few seconds.`);
    }
    this.#owners.add(owner); // reserved before the first await: requests made at once see it
    let router: ms.Router | undefined;
    try {
      const worker = this.#pool.leastLoaded();
      router = await worker.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { probe: true } });
      const transport = await router.createWebRtcTransport({
        webRtcServer: worker.webRtcServer,
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: INITIAL_OUTGOING_BITRATE,
      });
      await transport.setMaxIncomingBitrate(MAX_INCOMING_BITRATE);
      if (this.#closed) throw new TeleclassError('MEDIA_ERROR', 'The server is shutting down.');
      const id = randomUUID();
      const timer = setTimeout(() => this.#close(id, 'expired'), this.#limits.maxMs);
      timer.unref();
      const probe: Probe = { id, owner, worker, router, transport, producers: new Map(), timer, connected: false, firstProduceAt: null, dtlsAt: null, closed: false };
      this.#probes.set(id, probe);
      transport.on('dtlsstatechange', (state) => state === 'connected' && (probe.dtlsAt ??= this.#now()));
      worker.addLoad(PROBE_LOAD);
      // The worker died (or the router was closed under us): forget the probe.
      router.observer.once('close', () => this.#close(id, 'worker'));
      return {
        probeId: id,
        routerRtpCapabilities: router.rtpCapabilities,
        transport: { id: transport.id, iceParameters: transport.iceParameters, iceCandidates: transport.iceCandidates, dtlsParameters: transport.dtlsParameters },
        expiresInMs: this.#limits.maxMs,
      };
    } catch (error) {
      router?.close();
      this.#owners.delete(owner);
      throw error instanceof TeleclassError ? error : new TeleclassError('MEDIA_ERROR');
    }
  }

  async connect(owner: string, probeId: string, dtlsParameters: ms.DtlsParameters): Promise<void> {
    const probe = this.#probe(owner, probeId);
    if (probe.connected) throw new TeleclassError('INVALID_STATE', 'This network test is already connected.');
    probe.connected = true;
    await callerParameters(probe.worker, () => probe.transport.connect({ dtlsParameters }));
  }

  /** One stream of each kind at most; the measuring window starts with the first (or when DTLS is up). */
  async produce(owner: string, probeId: string, kind: MediaKind, rtpParameters: WireRtpParameters): Promise<string> {
    const probe = this.#probe(owner, probeId);
    if (!probe.connected) throw new TeleclassError('INVALID_STATE', 'Connect the network test first.');
    if (probe.producers.has(kind)) throw new TeleclassError('INVALID_STATE', `This network test already has a ${kind} stream.`);
    probe.producers.set(kind, null); // reserved across the await
    let producer: ms.Producer;
    try {
      // Shape and sizes were checked by the protocol schema; mediasoup checks the semantics.
      producer = await callerParameters(probe.worker, () => probe.transport.produce({ kind, rtpParameters: rtpParameters as ms.RtpParameters }));
    } catch (error) {
      probe.producers.delete(kind);
      throw error;
    }
    if (probe.closed) {
      producer.close();
      throw this.#gone();
    }
    probe.producers.set(kind, producer);
    probe.firstProduceAt ??= this.#now();
    return producer.id;
  }

  /** What the SFU received since the first stream, then the probe is closed. */
  async finish(owner: string, probeId: string): Promise<ProbeFigures> {
    const probe = this.#probe(owner, probeId);
    const producers = [...probe.producers.values()].filter((p): p is ms.Producer => p !== null);
    let transportStats: ms.WebRtcTransportStat[];
    let streamStats: ms.ProducerStat[][];
    try {
      [transportStats, streamStats] = await Promise.all([probe.transport.getStats(), Promise.all(producers.map((p) => p.getStats()))]);
    } catch {
      throw probe.closed ? this.#gone() : new TeleclassError('MEDIA_ERROR');
    } finally {
      this.#close(probe.id, 'finished');
    }
    // The window: from the first stream (or DTLS coming up, if later) to now.
    const from = probe.firstProduceAt === null ? null : Math.max(probe.firstProduceAt, probe.dtlsAt ?? 0);
    const seconds = from === null ? 0 : Math.max(0.001, (this.#now() - from) / 1000);
    const bytesReceived = transportStats.reduce((sum, s) => sum + s.rtpBytesReceived, 0);
    const streams = streamStats.flat();
    const packetsReceived = streams.reduce((sum, s) => sum + s.packetCount, 0);
    const packetsLost = streams.reduce((sum, s) => sum + Math.max(0, s.packetsLost), 0);
    const expected = packetsReceived + packetsLost;
    return {
      seconds: Math.round(seconds * 1000) / 1000,
      bytesReceived,
      bitrateKbps: seconds > 0 ? Math.round((bytesReceived * 8) / 1000 / seconds) : null,
      packetsReceived,
      packetsLost,
      lossPct: expected > 0 ? Math.round((packetsLost / expected) * 1000) / 10 : null,
    };
  }

  /** Closes every probe (server shutdown); later opens are refused. */
  closeAll(): void {
    this.#closed = true;
    for (const id of [...this.#probes.keys()]) this.#close(id, 'shutdown');
  }

  #probe(owner: string, probeId: string): Probe {
    const probe = this.#probes.get(probeId);
    // Another owner's probe reads as no probe at all.
    if (!probe || probe.owner !== owner) throw this.#gone();
    return probe;
  }

  #gone(): TeleclassError {
    return new TeleclassError('NOT_FOUND', 'No such network test (it ended or ran out of time).');
  }

  #close(probeId: string, reason: ProbeCloseReason): void {
    const probe = this.#probes.get(probeId);
    if (!probe || probe.closed) return;
    probe.closed = true;
    clearTimeout(probe.timer);
    this.#probes.delete(probeId);
    this.#owners.delete(probe.owner);
    probe.worker.addLoad(-PROBE_LOAD);
    probe.router.close();
    this.emit('probeclosed', probeId, reason);
  }
}
