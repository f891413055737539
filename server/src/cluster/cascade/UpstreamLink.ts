import { TeleclassError, type ProducerView } from '@teleclass/shared';
import type { Logger } from '../../logger.js';
import type { LectureMedia } from '../../media/LectureMedia.js';
import type { NodeDirectory, NodeInfo, OriginDirectory } from '../ports.js';
import { CascadeCallError, type EventsEnd, type InternalClient } from './InternalClient.js';
import { linkOpenedSchema, pipedProducerSchema, type CascadeEvent } from './protocol.js';
import { z } from 'zod';

/** Waits between attempts to link (the upstream restarting, no origin yet): short at first, then every 2 s. */
const RETRY_MS = [250, 500, 1000, 2000];
const ok = z.object({}).loose();
/**
 * A stream pulled here shows nothing until its first key frame: the upstream is asked for one
 * when the stream is made here, and again this often until one arrives, at most KEY_FRAME_ASKS
 * times (the upstream's stream paused, or its sender slow under load).
 */
const KEY_FRAME_ASK_MS = 1000;
const KEY_FRAME_ASKS = 15;

export interface UpstreamLinkDeps {
  nodes: NodeDirectory;
  origins: OriginDirectory;
  client: InternalClient;
  /** NODE_UPSTREAM: the node to pull from instead of the origin (a regional edge), while it is alive. */
  preferred?: string | undefined;
  /** Whether the studio (the trainer or the studio feed) sends on this node: then it claims the origin when nobody holds it. */
  studioHere: () => boolean;
  log: Logger;
}

/** One session with an upstream node: its pipe, the link's id there, and what crosses it. */
interface Session {
  target: NodeInfo;
  pipeId: string;
  linkId: string;
  abort: AbortController;
  /** Producers being pulled now, and the pause state last heard for each. */
  pulling: Map<string, boolean | undefined>;
  /** Pulls whose producer closed upstream before they were made here. */
  cancelled: Set<string>;
  /** Local producers sent up (being sent: false; there: true). */
  pushed: Map<string, boolean>;
}

/**
 * The downstream end of the cascade for one lecture on this node: it links to the lecture's
 * origin (or to NODE_UPSTREAM, an edge nearer to it) through one SRTP pipe, pulls every
 * producer the upstream has, each once, and fans it out locally as a producer of its own; it
 * sends up every producer that started on this side (a classroom here given the floor). When
 * the upstream goes, the pulled producers close (their consumers with them, as when any
 * producer closes) and it links again, to whichever node is the origin by then.
 */
export class UpstreamLink {
  #stopped = false;
  #session: Session | undefined;
  #ancestors: string[] = [];
  #wake: (() => void) | undefined;

  constructor(
    private readonly media: LectureMedia,
    private readonly lectureId: string,
    private readonly deps: UpstreamLinkDeps,
  ) {}

  /** The nodes above this one for the lecture, nearest first (empty while unlinked). */
  get ancestors(): string[] {
    return this.#ancestors;
  }

  /** The node pulled from now, if linked. */
  get upstream(): string | undefined {
    return this.#session?.target.id;
  }

  start(): void {
    void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    this.#session?.abort.abort();
    this.#wake?.();
  }

  async #run(): Promise<void> {
    let attempt = 0;
    let avoidPreferred = false;
    while (!this.#stopped) {
      let target: NodeInfo | null = null;
      try {
        target = await this.#pick(avoidPreferred);
        if (target && !this.#stopped) {
          const linkedAt = Date.now();
          await this.#linkTo(target);
          if (Date.now() - linkedAt > 10_000) attempt = 0; // it held a while: a fresh failure
          avoidPreferred = false;
        }
      } catch (error) {
        const loop = error instanceof CascadeCallError && error.code === 'LOOP';
        // The preferred upstream refused or is unreachable: the origin itself next time.
        if (target && target.id === this.deps.preferred) avoidPreferred = true;
        this.deps.log.warn({ err: error, lectureId: this.lectureId, upstream: target?.id, loop }, 'cascade: link to the upstream node failed');
      }
      if (this.#stopped) return;
      await this.#sleep(target ? RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]! : 1000);
    }
  }

  /** NODE_UPSTREAM while it is alive (and not this node), else the origin; null when this node is the origin or there is none yet. */
  async #pick(avoidPreferred: boolean): Promise<NodeInfo | null> {
    const self = this.deps.nodes.self().id;
    let origin = await this.deps.origins.originOf(this.lectureId);
    // The old origin is gone (its claim lapsed) while the trainer's page sends here now: this node is the origin.
    if (!origin && this.deps.studioHere()) origin = await this.deps.origins.claim(this.lectureId);
    if (!origin || origin.id === self) return null;
    const { preferred } = this.deps;
    if (preferred && !avoidPreferred && preferred !== self && preferred !== origin.id) {
      const node = await this.deps.nodes.get(preferred);
      if (node && !node.draining) return node;
    }
    return origin;
  }

  async #linkTo(target: NodeInfo): Promise<void> {
    const { client, nodes } = this.deps;
    const abort = new AbortController();
    const { pipeId, local } = await this.media.pipes.open(target.id, () => abort.abort());
    let linkId: string | undefined;
    try {
      const answer = await client.call(target.internalUrl, 'POST', '/internal/cascade/links', { lectureId: this.lectureId, endpoint: local }, linkOpenedSchema);
      linkId = answer.linkId;
      if (answer.ancestors.includes(nodes.self().id)) throw new CascadeCallError('LOOP', `${target.id} is below this node already (${answer.ancestors.join(' → ')})`);
      if (abort.signal.aborted || this.#stopped) return;
      await this.media.pipes.connect(pipeId, answer.endpoint);
      this.#ancestors = answer.ancestors;
      const session: Session = { target, pipeId, linkId, abort, pulling: new Map(), cancelled: new Set(), pushed: new Map() };
      this.#session = session;
      this.deps.log.info({ lectureId: this.lectureId, upstream: target.id, ancestors: answer.ancestors }, 'cascade: linked to the upstream node');
      const offs = this.#pushAll(session);
      let ended: EventsEnd;
      try {
        ended = await client.events(target.internalUrl, `/internal/cascade/links/${linkId}/events`, (event) => this.#onEvent(session, event), abort.signal);
      } finally {
        for (const off of offs) off();
      }
      this.deps.log.warn({ lectureId: this.lectureId, upstream: target.id, why: ended }, 'cascade: the link to the upstream node ended');
    } finally {
      this.#session = undefined;
      this.#ancestors = [];
      abort.abort();
      this.media.pipes.close(pipeId); // what was pulled closes here; its viewers hear producerClosed
      if (linkId) void client.call(target.internalUrl, 'DELETE', `/internal/cascade/links/${linkId}`, undefined, ok).catch(() => undefined);
    }
  }

  // ------------------------------------------------------------------ pulling

  #onEvent(s: Session, event: CascadeEvent): void {
    if (event.op === 'added') {
      void this.#pull(s, event.id);
    } else if (event.op === 'closed') {
      if (s.pulling.has(event.id)) s.cancelled.add(event.id);
      else if (this.media.producerVia(event.id) === s.target.id && this.media.pipes.isOpen(s.pipeId)) this.media.pipes.closeProducer(s.pipeId, event.id);
    } else if (s.pulling.has(event.id)) {
      s.pulling.set(event.id, event.paused);
    } else if (this.media.producerVia(event.id) === s.target.id) {
      this.media.pipes
        .setPaused(s.pipeId, event.id, event.paused)
        // Resumed: the key frame the upstream sends on resuming may have crossed while it was still paused here.
        .then(() => {
          if (!event.paused && this.media.producers().find((p) => p.id === event.id)?.kind === 'video') void this.#askKeyFrame(s, event.id);
        })
        .catch(() => undefined);
    }
  }

  async #pull(s: Session, producerId: string): Promise<void> {
    if (s.pulling.has(producerId) || this.media.producers().some((p) => p.id === producerId)) return;
    s.pulling.set(producerId, undefined);
    try {
      const piped = await this.deps.client.call(s.target.internalUrl, 'POST', `/internal/cascade/links/${s.linkId}/consume`, { producerId }, pipedProducerSchema);
      const view = await this.media.pipes.produce(s.pipeId, { ...piped, rtpParameters: piped.rtpParameters as never }, () => {
        // Re-checked once the producer exists here: the stream may have ended up there, or the link.
        if (s.cancelled.has(producerId) || s.abort.signal.aborted) throw new TeleclassError('NOT_FOUND', 'That stream has ended.');
      });
      const paused = s.pulling.get(producerId);
      if (paused !== undefined && paused !== view.paused) await this.media.pipes.setPaused(s.pipeId, producerId, paused);
      if (view.kind === 'video') void this.#askKeyFrame(s, producerId);
    } catch (error) {
      if (!s.abort.signal.aborted && !s.cancelled.has(producerId)) {
        this.deps.log.warn({ err: error, lectureId: this.lectureId, producerId }, 'cascade: could not pull a stream');
      }
    } finally {
      s.pulling.delete(producerId);
      s.cancelled.delete(producerId);
    }
  }

  /**
   * Asks the upstream for a key frame of a video stream pulled here until one arrives (bounded).
   * Without it a stream pulled while its sender was already sending may never show here: the key
   * frame the pipe consumer up there asked for when it was made crossed before the producer here
   * existed, and the key frame requests of consumers made here before the first RTP arrived are
   * dropped (mediasoup does not know the stream yet), so nobody asks again.
   */
  async #askKeyFrame(s: Session, producerId: string): Promise<void> {
    const first = this.media.pipes.firstKeyFrame(producerId);
    const onAbort = () => first.stop();
    s.abort.signal.addEventListener('abort', onAbort, { once: true });
    const askedAt = Date.now();
    try {
      for (let ask = 1; ask <= KEY_FRAME_ASKS; ask++) {
        if (s.abort.signal.aborted || this.#stopped) return;
        await this.#tell(s, `/producers/${producerId}/keyframe`, {});
        let timer: NodeJS.Timeout | undefined;
        const settled = await Promise.race([first.arrived, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), KEY_FRAME_ASK_MS)))]);
        clearTimeout(timer);
        if (settled === true) {
          this.deps.log.info({ lectureId: this.lectureId, producerId, asks: ask, ms: Date.now() - askedAt }, 'cascade: first key frame of a pulled stream');
          return;
        }
        if (settled === false) return; // it closed here
      }
      this.deps.log.warn({ lectureId: this.lectureId, producerId, asks: KEY_FRAME_ASKS }, 'cascade: no key frame of a pulled stream yet (paused upstream?)');
    } finally {
      s.abort.signal.removeEventListener('abort', onAbort);
      first.stop();
    }
  }

  // ------------------------------------------------------------------ pushing (media that started below)

  /** Sends up every producer that did not come from the upstream, now and as they appear; answers how to stop listening. */
  #pushAll(s: Session): (() => void)[] {
    const added = (view: ProducerView) => void this.#push(s, view.id);
    const closed = (producerId: string) => {
      const there = s.pushed.get(producerId);
      if (there === undefined) return;
      s.pushed.delete(producerId);
      if (there) void this.#tell(s, `/producers/${producerId}/close`, {});
    };
    const paused = (producerId: string, isPaused: boolean) => {
      if (s.pushed.get(producerId)) void this.#tell(s, `/producers/${producerId}/pause`, { paused: isPaused });
    };
    this.media.on('produceradded', added);
    this.media.on('producerclosed', closed);
    this.media.on('producerpaused', paused);
    for (const view of this.media.producers()) void this.#push(s, view.id);
    return [() => this.media.off('produceradded', added), () => this.media.off('producerclosed', closed), () => this.media.off('producerpaused', paused)];
  }

  async #push(s: Session, producerId: string): Promise<void> {
    if (this.media.producerVia(producerId) === s.target.id || s.pushed.has(producerId)) return;
    s.pushed.set(producerId, false);
    try {
      const piped = await this.media.pipes.consume(s.pipeId, producerId);
      await this.deps.client.call(s.target.internalUrl, 'POST', `/internal/cascade/links/${s.linkId}/produce`, piped, ok);
      // Re-checked after the awaits: it closed here meanwhile (then it is closed up there too).
      if (!s.pushed.has(producerId)) void this.#tell(s, `/producers/${producerId}/close`, {});
      else s.pushed.set(producerId, true);
    } catch (error) {
      s.pushed.delete(producerId);
      if (!s.abort.signal.aborted) this.deps.log.warn({ err: error, lectureId: this.lectureId, producerId }, 'cascade: could not send a stream up');
    }
  }

  async #tell(s: Session, path: string, body: unknown): Promise<void> {
    if (s.abort.signal.aborted) return;
    await this.deps.client.call(s.target.internalUrl, 'POST', `/internal/cascade/links/${s.linkId}${path}`, body, ok).catch((error: unknown) => {
      this.deps.log.debug({ err: error, lectureId: this.lectureId, path }, 'cascade: upstream did not take an update');
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
