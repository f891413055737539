import type { MediaSource, ReceivePriority } from '@teleclass/shared';
import type { Logger } from '../logger.js';
import { CAMERA_OFF, initialPriority, nextPriority, stepLayers, stepNeed, STEPS, type PriorityState, type ViewerMix } from './LecturePriority.js';
import { LinkLoss } from './LinkLoss.js';
import type { ms } from './mediasoup.js';

/** How often the ladder is asked again (the bwe trace comes about every second or faster). */
export const PRIORITY_TICK_MS = 1_000;
/** Soonest the ladder is asked again when an estimate says mediasoup is short. */
const SHORT_TICK_MS = 250;
/** mediasoup is short of what its consumers ask for when it can send less than this share of it. */
const SHORT_SHARE = 0.97;
/** How long a capacity measured from loss is believed, and how long none is taken after it moved the step (the loss figure lags). */
const CAPACITY_MAX_AGE_MS = 3_000;
/**
 * The least mediasoup's estimate for a viewer may fall to (its own minimum is 30 kbit/s). Behind
 * 400 kbit/s and 3 % loss the estimate once collapsed to 30 kbit/s in the first seconds of
 * overflow; the viewer was then sent what that estimate allowed — not application-limited, so
 * mediasoup never probed — and after the limit was lifted the estimate crept up at 30–57 kbit/s
 * for over 15 s, the camera with it. At 150 kbit/s the lowest step (sound and the slides at their
 * lowest frame rate, ~70 kbit/s sent) leaves the viewer application-limited, so mediasoup probes
 * every 1.5 s (LIBWEBRTC_FIELD_TRIALS) and finds a recovered link in seconds. What a viewer is
 * sent stays bounded by its step's layers, not by the estimate.
 */
export const ESTIMATE_FLOOR_BPS = 150_000;
/** Least a stream is counted at (a still picture or silence measures next to nothing). */
const MIN_LAYER_BPS = 30_000;
const MIN_AUDIO_BPS = 32_000;

/** Of a transport's stats: what it sends (bit/s) and the share of it the viewer reports lost (0–1). */
export type LinkStats = Pick<ms.WebRtcTransportStat, 'sendBitrate' | 'rtpPacketLossSent'>;

/** A producer's bits per second by layer (simulcast encoding), lowest first; [] when not measured yet. */
export type LayerRates = (producerId: string) => number[];

/** One change of step, and what it was based on (diagnostics: the weak-link test prints them). */
export interface StepChange {
  /** ms since the policy started. */
  at: number;
  step: ReceivePriority['step'];
  /** The estimate mediasoup gave, the rate the ladder judged by, and what the new step asks for (bit/s). */
  estimate: number;
  bps: number;
  need: number;
  /** The last loss reading (0–1), whether heavy loss had measured the link's capacity, and whether the link read clean. */
  loss: number | null;
  clean: boolean;
  /** Whether the loss had averaged under 0.5 % over 10 s (the camera above its lowest layer needs it). */
  steady: boolean;
  /** For a step up: the lowest estimate of the hold it trusted. */
  held: number | null;
  overloaded: boolean;
  /** The viewer's media went over TCP (its loss readings then say nothing). */
  tcp: boolean;
}
/** How many changes a viewer's policy remembers. */
const MAX_CHANGES = 24;

interface Tracked {
  consumer: ms.Consumer;
  source: MediaSource;
  /** What the viewer asked for (its size, or setPreferredLayers): the most the policy will give. */
  wanted: { spatial: number; temporal: number };
  /** The viewer paused it itself (consumers start paused until the viewer resumes them). */
  clientPaused: boolean;
  /** The layers last asked of mediasoup (null: none yet). */
  applied: string | null;
}

export interface ViewerPriorityEvents {
  /** The step changed (or the viewer's own choice did): tell the viewer. */
  changed(view: ReceivePriority): void;
}

/**
 * The one owner of what one viewer's receiving transport forwards: the lecture's priority ladder
 * (LecturePriority) fed with mediasoup's bandwidth estimate for this transport (its 'bwe' trace),
 * and the viewer's own wishes (its size, pausing, "audio and slides only"). Every consumer of the
 * transport goes through here for preferred layers and pause, so the policy and the viewer never
 * undo each other: the camera's layer is the lower of what the viewer's size asks and what the
 * step allows, it is paused while either wants it paused. Sound is never paused by the policy.
 *
 * The estimate only counts when mediasoup is short of what the consumers ask for: an estimate
 * that is low because little is asked (a paused camera, a still slide) is no reason to go down.
 */
export class ViewerPriority {
  readonly #transport: ms.WebRtcTransport;
  readonly #rates: LayerRates;
  readonly #layerCount: (producerId: string) => number;
  /** The last change gave back (true) or held back: giving back goes in the reverse order. */
  #up = false;
  readonly #events: ViewerPriorityEvents;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #linkStats: () => Promise<LinkStats | undefined>;
  readonly #linkProtocol: () => 'udp' | 'tcp' | undefined;
  readonly #tracked = new Map<string, Tracked>();
  readonly #timer: NodeJS.Timeout;
  #state: PriorityState;
  #manual: boolean;
  #bwe: { available: number; desired: number } | null = null;
  #tickedAt = 0;
  /** What the link carried when the viewer reported heavy loss (null: no overload seen lately). */
  #capacity: { bps: number; at: number } | null = null;
  #statsPending = false;
  #capacityQuietUntil = 0;
  /** The viewer's loss readings: clean, steady, corroborated, heavy (LinkLoss). */
  readonly #loss = new LinkLoss();
  readonly #startedAt: number;
  readonly #changes: StepChange[] = [];
  /** Changes to the consumers, one at a time, in order. */
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(
    transport: ms.WebRtcTransport,
    options: {
      rates: LayerRates;
      layerCount: (producerId: string) => number;
      manual: boolean;
      events: ViewerPriorityEvents;
      logger: Logger;
      now?: () => number;
      /** What the transport sends and the loss the viewer reports (default: the transport's getStats; tests that feed the estimate feed this too). */
      linkStats?: () => Promise<LinkStats | undefined>;
      /** The protocol of the transport's selected ICE tuple (default: the transport's own; tests feed it). */
      linkProtocol?: () => 'udp' | 'tcp' | undefined;
    },
  ) {
    this.#transport = transport;
    this.#rates = options.rates;
    this.#layerCount = options.layerCount;
    this.#events = options.events;
    this.#log = options.logger;
    this.#now = options.now ?? Date.now;
    this.#linkStats = options.linkStats ?? (async () => (await transport.getStats())[0]);
    this.#linkProtocol = options.linkProtocol ?? (() => transport.iceSelectedTuple?.protocol);
    this.#manual = options.manual;
    this.#startedAt = this.#now();
    this.#state = { ...initialPriority(this.#now()), step: this.#floor };
    transport.on('trace', (trace) => {
      if (trace.type !== 'bwe') return;
      const info = trace.info as { availableBitrate?: unknown; desiredBitrate?: unknown };
      const available = Number(info.availableBitrate);
      const desired = Number(info.desiredBitrate);
      if (!Number.isFinite(available) || !Number.isFinite(desired)) return;
      this.#bwe = { available, desired };
      // Short of what is asked: down now, not at the next tick (a queue that overflows loses sound too).
      if (available < desired * SHORT_SHARE && this.#now() - this.#tickedAt >= SHORT_TICK_MS) this.tick();
    });
    // Nothing is sent, and so nothing estimated, before the viewer's DTLS: both requests wait for
    // it, off the join's path (its consumes are then the only worker requests after the transport).
    const estimating = () => {
      void transport.enableTraceEvent(['bwe']).catch(() => undefined); // closed meanwhile: nothing to trace
      void transport.setMinOutgoingBitrate(ESTIMATE_FLOOR_BPS).catch(() => undefined); // closed meanwhile
    };
    if (transport.dtlsState === 'connected') estimating();
    else {
      const connected = (state: ms.DtlsState) => {
        if (state !== 'connected') return;
        transport.off('dtlsstatechange', connected);
        if (!transport.closed) estimating();
      };
      transport.on('dtlsstatechange', connected);
    }
    transport.observer.once('close', () => this.close());
    this.#timer = setInterval(() => this.tick(), PRIORITY_TICK_MS).unref();
  }

  /** What the viewer is told now. */
  get view(): ReceivePriority {
    return { step: STEPS[this.#state.step]!, manual: this.#manual };
  }

  /** How many consumers it owns now. */
  get consumerCount(): number {
    return this.#tracked.size;
  }

  /** The consumers mediasoup holds paused now (by the policy or by the viewer itself). */
  get pausedConsumers(): string[] {
    return [...this.#tracked.values()].filter((t) => t.consumer.paused && !t.consumer.closed).map((t) => t.consumer.id);
  }

  /** The last changes of step, oldest first (at most MAX_CHANGES). */
  get changes(): readonly StepChange[] {
    return this.#changes;
  }

  /** The last bandwidth estimate for this viewer, bit/s (null: none yet). */
  get estimate(): number | null {
    return this.#bwe?.available ?? null;
  }

  get #floor(): number {
    return this.#manual ? CAMERA_OFF : 0;
  }

  /**
   * A new consumer on this transport (created paused; the viewer resumes it). `asked`: the layers
   * it was made with (PeerMedia.consume: the lowest), so no request repeats them.
   */
  async add(consumer: ms.Consumer, source: MediaSource, asked?: { spatialLayer: number; temporalLayer: number }): Promise<void> {
    // The lowest layer until the viewer says how large it shows the video (setViewport).
    const applied = asked ? `${asked.spatialLayer}/${asked.temporalLayer}` : null;
    this.#tracked.set(consumer.id, { consumer, source, wanted: { spatial: 0, temporal: 2 }, clientPaused: consumer.paused, applied });
    consumer.observer.once('close', () => this.#tracked.delete(consumer.id));
    // mediasoup shares a short link by priority: the slides before the cameras (sound is not shared out).
    if (source === 'screen' && consumer.kind === 'video') await consumer.setPriority(2).catch(() => undefined);
    await this.#apply();
  }

  /** The viewer's own pause or resume; the camera stays paused while the policy holds it back. */
  setClientPaused(consumerId: string, paused: boolean): Promise<void> {
    const t = this.#tracked.get(consumerId);
    if (t) t.clientPaused = paused;
    return this.#apply();
  }

  /** The most the viewer wants of a consumer (its size); the step may give less. */
  setWanted(consumerId: string, spatial: number, temporal: number): Promise<void> {
    const t = this.#tracked.get(consumerId);
    if (t) t.wanted = { spatial, temporal };
    return this.#apply();
  }

  /** "Audio and slides only" chosen or undone by the viewer: applied at once, whatever the estimate. */
  setManual(manual: boolean): Promise<void> {
    if (manual === this.#manual) return this.#queue;
    this.#manual = manual;
    this.#up = !manual;
    // Undone: start again from the top; a link that cannot carry it goes down again at the next tick.
    this.#state = manual ? { ...this.#state, step: Math.max(this.#state.step, CAMERA_OFF), changedAt: this.#now(), window: [] } : initialPriority(this.#now());
    this.#events.changed(this.view);
    return this.#apply();
  }

  /** Resolves once every change asked so far has been made. */
  settled(): Promise<void> {
    return this.#queue;
  }

  /** Asks the ladder again with the latest estimate (every PRIORITY_TICK_MS; tests may call it). */
  tick(): void {
    if (this.#closed || !this.#bwe) return;
    this.#tickedAt = this.#now();
    const mix = this.mix();
    const { desired } = this.#bwe;
    this.#measureLoss(this.#bwe.available < desired * SHORT_SHARE || this.#state.shortSince !== null);
    const capacity = this.#capacity && this.#now() - this.#capacity.at <= CAPACITY_MAX_AGE_MS ? this.#capacity.bps : Infinity;
    const available = Math.min(this.#bwe.available, capacity);
    const short = available < desired * SHORT_SHARE;
    const bps = short ? available : Math.max(available, stepNeed(this.#state.step, mix));
    const now = this.#now();
    // Over TCP nothing is lost: TCP resends it, and a link too small shows only as delay, which the
    // estimate reads. Loss readings of 0 there say nothing, and the clean rule would step up every
    // 2 s whatever the estimate (ICE moves a browser to its TCP candidate when UDP is blocked or
    // fails). Over TCP the estimate alone moves the ladder: no clean or steady steps up, and a held
    // shortfall needs no loss to go down.
    const tcp = this.#linkProtocol() === 'tcp';
    const clean = !tcp && this.#loss.clean(now);
    const steady = !tcp && this.#loss.steady(now);
    const next = nextPriority(this.#state, bps, mix, now, this.#floor, {
      clean,
      steady,
      corroborated: tcp || this.#loss.corroborated(now),
      overloaded: Number.isFinite(capacity),
    });
    if (next === this.#state) return;
    const changed = next.step !== this.#state.step;
    this.#up = next.step < this.#state.step;
    this.#state = next;
    if (!changed) return;
    if (Number.isFinite(capacity)) {
      // The loss that measured it lags the change: take no capacity until it has caught up.
      this.#capacity = null;
      this.#capacityQuietUntil = this.#now() + CAPACITY_MAX_AGE_MS;
    }
    this.#changes.push({
      at: now - this.#startedAt,
      step: STEPS[next.step]!,
      estimate: Math.round(this.#bwe.available),
      bps: Math.round(bps),
      need: Math.round(stepNeed(next.step, mix)),
      loss: this.#loss.last,
      clean,
      steady,
      held: next.lastUp && next.lastUp.at === now ? Math.round(next.lastUp.held) : null,
      overloaded: Number.isFinite(capacity),
      tcp,
    });
    if (this.#changes.length > MAX_CHANGES) this.#changes.shift();
    this.#log.info({ step: STEPS[next.step], estimate: this.#bwe.available, capacity: Number.isFinite(capacity) ? Math.round(capacity) : null, desired, need: Math.round(stepNeed(next.step, mix)) }, 'viewer priority step');
    this.#events.changed(this.view);
    void this.#apply();
  }

  /**
   * When the estimate falls short (`short`: is it the link? a link too small loses packets, a busy
   * CPU does not), the viewer is held back (does its link still lose? the step changes record it) or reports loss on what it
   * receives (a consumer's score below 10): the transport's send rate and loss. Loss of
   * CORROBORATE_LOSS or more corroborates a shortfall; at OVERLOAD_LOSS or more the rate it got (LinkLoss)
   * through is the link's capacity for the next ticks. No request while all is well.
   */
  #measureLoss(short: boolean): void {
    if (this.#transport.closed) return;
    const lossy = [...this.#tracked.values()].some((t) => !t.consumer.closed && !t.consumer.paused && t.consumer.score.score < 10);
    if (!lossy && !short && this.#state.step === 0) {
      this.#loss.forget(); // not read every tick from here on: nothing known
      return;
    }
    if (this.#statsPending) return;
    this.#statsPending = true;
    this.#linkStats()
      .then((stats) => {
        if (!stats) return;
        const loss = stats.rtpPacketLossSent ?? 0;
        const heavy = this.#loss.record(loss, this.#now());
        if (heavy && this.#now() >= this.#capacityQuietUntil) {
          this.#capacity = { bps: stats.sendBitrate * (1 - loss), at: this.#now() };
          if (this.#bwe && this.#capacity.bps < this.#bwe.available) this.tick();
        }
      })
      .catch(() => undefined) // closed meanwhile
      .finally(() => {
        this.#statsPending = false;
      });
  }

  /** What this viewer receives, measured (see ViewerMix). */
  mix(): ViewerMix {
    const mix: ViewerMix = { cameraLayers: [], cameraWanted: 0, slides: 0, audio: 0 };
    for (const t of this.#tracked.values()) {
      const { consumer } = t;
      if (consumer.closed || consumer.producerPaused || t.clientPaused) continue;
      const rates = this.#rates(consumer.producerId);
      const total = rates.reduce((a, b) => a + b, 0);
      if (consumer.kind === 'audio') mix.audio += Math.max(total, MIN_AUDIO_BPS);
      else if (t.source === 'screen') mix.slides += Math.max(total, MIN_LAYER_BPS);
      else {
        // Cameras (the trainer's, anyone's on stage) add up layer by layer.
        const own = rates.length > 0 ? rates.map((r) => Math.max(r, MIN_LAYER_BPS)) : [MIN_LAYER_BPS];
        const sum = mix.cameraLayers;
        const n = Math.max(own.length, sum.length);
        mix.cameraLayers = Array.from({ length: n }, (_, i) => (sum[Math.min(i, sum.length - 1)] ?? 0) + own[Math.min(i, own.length - 1)]!);
        mix.cameraWanted = Math.max(mix.cameraWanted, t.wanted.spatial);
      }
    }
    return mix;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#tracked.clear();
  }

  /** Brings every consumer to what the step and the viewer's wishes say, in order, one change at a time. */
  #apply(): Promise<void> {
    const run = this.#queue.then(() => this.#applyAll());
    this.#queue = run.catch((error: unknown) => this.#log.warn({ err: error }, 'viewer priority: a consumer refused a change'));
    return this.#queue;
  }

  async #applyAll(): Promise<void> {
    // Holding back: the camera first (it frees the most); giving back: the slides first, the camera last.
    const order = [...this.#tracked.values()].sort((a, b) => (this.#up ? rank(b) - rank(a) : rank(a) - rank(b)));
    for (const t of order) {
      if (this.#closed) return;
      const { consumer } = t;
      if (consumer.closed) continue;
      const layerCount = this.#layerCount(consumer.producerId);
      const mixLayers = Array.from({ length: layerCount }, () => 0);
      const step = stepLayers(this.#state.step, { cameraLayers: mixLayers, cameraWanted: t.wanted.spatial });
      const camera = consumer.kind === 'video' && t.source !== 'screen';
      const policyPaused = camera && step.camera.paused;
      const layers =
        consumer.kind !== 'video'
          ? null
          : camera
            ? { spatialLayer: step.camera.spatial, temporalLayer: Math.min(t.wanted.temporal, step.camera.temporal) }
            : { spatialLayer: t.wanted.spatial, temporalLayer: Math.min(t.wanted.temporal, step.slides.temporal) };
      const paused = t.clientPaused || policyPaused;
      if (paused && !consumer.paused) await consumer.pause();
      const key = layers ? `${layers.spatialLayer}/${layers.temporalLayer}` : null;
      if (layers && key !== t.applied && (consumer.type === 'simulcast' || consumer.type === 'svc') && !consumer.closed) {
        await consumer.setPreferredLayers(layers);
        t.applied = key;
      }
      if (!paused && consumer.paused && !consumer.closed) await consumer.resume();
    }
  }
}

/** Cameras first, then slides, then sound. */
const rank = (t: Tracked) => (t.consumer.kind === 'audio' ? 2 : t.source === 'screen' ? 1 : 0);
