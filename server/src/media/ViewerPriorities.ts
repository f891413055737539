import type { ReceivePriority } from '@teleclass/shared';
import type { Logger } from '../logger.js';
import type { ms } from './mediasoup.js';
import type { PeerMedia } from './PeerMedia.js';
import { ViewerPriority, type StepChange } from './ViewerPriority.js';

/** A viewer's step, its bandwidth estimate and the consumers paused on the server (tests, diagnostics). */
export type PriorityDiagnostics = ReceivePriority & { estimateBps: number | null; pausedConsumers: string[]; changes: readonly StepChange[] };

/** A producer's layer rates are measured at most this often, however many viewers ask. */
const RATE_MAX_AGE_MS = 1_000;
/**
 * A step's need counts each layer at the most it measured over the last RATE_PEAK_READINGS
 * readings (~10 s), not its latest: a trainer's encoder under a loaded CPU, or slides that
 * stand still, send far less for a few seconds, and a need measured then let the ladder step up
 * under a 400 kbit/s link into more than it carries once the encoder sent its usual again.
 */
const RATE_PEAK_READINGS = 10;

interface Rates {
  at: number;
  /** The newest readings' per-layer rates, oldest first (at most RATE_PEAK_READINGS). */
  readings: number[][];
  /** Their per-layer peak (what the policy is answered). */
  layers: number[];
  pending: boolean;
}

/**
 * A lecture's viewers' priority policies (one ViewerPriority per receiving transport), what they
 * share (each producer's bitrate by layer, measured once a second for all of them), and each
 * viewer's own choice of "audio and slides only", kept for the participant across its transports
 * (a rebuilt transport keeps it) and forgotten when it leaves.
 */
export class ViewerPriorities {
  readonly #rates = new Map<string, Rates>();
  /** Participants that chose "audio and slides only" (at most one entry per participant of the lecture). */
  readonly #manual = new Set<string>();
  readonly #log: Logger;

  constructor(
    private readonly producerOf: (producerId: string) => ms.Producer | undefined,
    private readonly changed: (peerId: string, view: ReceivePriority) => void,
    logger: Logger,
  ) {
    this.#log = logger;
  }

  /** The policy of a participant's new receiving transport, closed with it. */
  open(peer: PeerMedia, transport: ms.WebRtcTransport): ViewerPriority {
    const policy = new ViewerPriority(transport, {
      rates: (id) => this.#layerRates(id),
      layerCount: (id) => this.producerOf(id)?.rtpParameters.encodings?.length ?? 1,
      manual: this.#manual.has(peer.peerId),
      events: { changed: (view) => this.changed(peer.peerId, view) },
      logger: this.#log.child({ peerId: peer.peerId, transportId: transport.id }),
    });
    peer.receivers.set(transport.id, policy);
    transport.observer.once('close', () => peer.receivers.delete(transport.id));
    return policy;
  }

  /** The participant's choice, applied to its receiving transports now and to any it opens later. */
  async setManual(peer: PeerMedia | undefined, peerId: string, manual: boolean): Promise<ReceivePriority> {
    if (manual) this.#manual.add(peerId);
    else this.#manual.delete(peerId);
    const policies = [...(peer?.receivers.values() ?? [])];
    await Promise.all(policies.map((p) => p.setManual(manual)));
    return policies.at(-1)?.view ?? { step: manual ? 'camera-off' : 'full', manual };
  }

  /**
   * Where the participant's receiving transport stands: the one that carries its consumers (the
   * newest of those that carry the most; a transport left over from a rebuild carries none). Null:
   * it has no receiving transport.
   */
  viewOf(peer: PeerMedia | undefined): PriorityDiagnostics | null {
    let policy: ViewerPriority | undefined;
    for (const p of peer?.receivers.values() ?? []) if (!policy || p.consumerCount >= policy.consumerCount) policy = p;
    return policy ? { ...policy.view, estimateBps: policy.estimate, pausedConsumers: policy.pausedConsumers, changes: policy.changes } : null;
  }

  forget(peerId: string): void {
    this.#manual.delete(peerId);
  }

  /** The last measured rates (measuring again in the background when they are older than a second). */
  #layerRates(producerId: string): number[] {
    const producer = this.producerOf(producerId);
    if (!producer || producer.closed) {
      this.#rates.delete(producerId);
      return [];
    }
    let entry = this.#rates.get(producerId);
    if (!entry) {
      entry = { at: 0, readings: [], layers: [], pending: false };
      this.#rates.set(producerId, entry);
      producer.observer.once('close', () => this.#rates.delete(producerId));
    }
    if (!entry.pending && Date.now() - entry.at >= RATE_MAX_AGE_MS) {
      const e = entry;
      e.pending = true;
      producer
        .getStats()
        .then((stats) => {
          const encodings = producer.rtpParameters.encodings ?? [];
          const reading = encodings.map((enc) => {
            const s = stats.find((x) => (enc.rid !== undefined && x.rid === enc.rid) || (enc.ssrc !== undefined && x.ssrc === enc.ssrc)) ?? (encodings.length === 1 ? stats[0] : undefined);
            return s?.bitrate ?? 0;
          });
          e.readings = [...e.readings, reading].slice(-RATE_PEAK_READINGS);
          e.layers = reading.map((_, i) => Math.max(...e.readings.map((r) => r[i] ?? 0)));
        })
        .catch(() => undefined)
        .finally(() => {
          e.pending = false;
          e.at = Date.now();
        });
    }
    return entry.layers;
  }
}
