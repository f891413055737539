import type { ServerResponse } from 'node:http';
import { FEED_PEER_ID, TeleclassError } from '@teleclass/shared';
import type { z } from 'zod';
import type { LectureRegistry, LectureRoom } from '../../lecture/LectureRegistry.js';
import type { Logger } from '../../logger.js';
import type { PipedProducer } from '../../media/NodePipes.js';
import type { NodeDirectory, OriginDirectory } from '../ports.js';
import { DownstreamLink } from './DownstreamLink.js';
import type { InternalClient } from './InternalClient.js';
import type { linkOpenedSchema, pipeEndpointSchema } from './protocol.js';
import { UpstreamLink } from './UpstreamLink.js';

/** How often links served to other nodes are checked against the registry (a node gone without a word). */
const NODE_CHECK_MS = 3_000;

export interface CascadeOptions {
  registry: LectureRegistry;
  nodes: NodeDirectory;
  origins: OriginDirectory;
  client: InternalClient;
  /** NODE_UPSTREAM. */
  upstream?: string | undefined;
  /** CASCADE_MAX_LINKS: links this node serves to other nodes at once, all lectures together. */
  maxLinks: number;
  logger: Logger;
  /** How often the registry is asked for the downstream nodes (NODE_CHECK_MS; tests call checkNodes themselves). */
  nodeCheckMs?: number;
}

/** A refusal of the internal API: a code (the other node's log says it) and an HTTP status. */
export class CascadeRefusal extends Error {
  override name = 'CascadeRefusal';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The media cascade of this node (cluster mode): for every lecture open here whose origin is
 * another node, an UpstreamLink pulls its producers (from NODE_UPSTREAM or the origin); for
 * every node pulling from this one, a DownstreamLink serves its pipe. Links served keep their
 * lecture's room open here (a chained edge with no viewers of its own still relays).
 */
export class Cascade {
  readonly #o: CascadeOptions;
  readonly #log: Logger;
  readonly #up = new Map<string, UpstreamLink>();
  readonly #down = new Map<string, DownstreamLink>();
  readonly #check: NodeJS.Timeout;
  /** Downstream nodes the last check did not find in the registry. */
  #missed = new Set<string>();
  #closed = false;

  constructor(options: CascadeOptions) {
    this.#o = options;
    this.#log = options.logger.child({ component: 'cascade' });
    const { registry } = options;
    registry.holdOpen((lectureId) => [...this.#down.values()].some((l) => l.lectureId === lectureId));
    registry.on('roomcreated', (room) => this.#follow(room));
    registry.on('roomclosed', (room) => this.#unfollow(room.id));
    for (const room of registry.rooms()) this.#follow(room);
    this.#check = setInterval(() => void this.checkNodes(), options.nodeCheckMs ?? NODE_CHECK_MS);
    this.#check.unref();
  }

  /** Links served to other nodes now (metrics, tests). */
  get servedLinks(): number {
    return this.#down.size;
  }

  /**
   * What crosses this node's pipes, per lecture (the benchmark, diagnostics): pipes, streams
   * carried, bytes sent to and received from other nodes so far, and links served.
   */
  async stats(): Promise<{ servedLinks: number; lectures: { lectureId: string; upstream: string | null; pipes: number; streams: number; bytesOut: number; bytesIn: number }[] }> {
    const lectures = [];
    for (const room of this.#o.registry.rooms()) {
      const t = await room.media.pipes.traffic();
      lectures.push({ lectureId: room.id, upstream: this.upstreamOf(room.id) ?? null, pipes: t.pipes, streams: t.streams, bytesOut: t.bytesOut, bytesIn: t.bytesIn });
    }
    return { servedLinks: this.#down.size, lectures };
  }

  /** The node this one pulls a lecture from now, if any. */
  upstreamOf(lectureId: string): string | undefined {
    return this.#up.get(lectureId)?.upstream;
  }

  // ------------------------------------------------------------------ served to other nodes (InternalRoutes)

  /** A downstream node opens a pipe for one lecture. Refused: a loop, the caps, an unknown lecture. */
  async openLink(from: string, req: { lectureId: string; endpoint: z.output<typeof pipeEndpointSchema> }): Promise<z.input<typeof linkOpenedSchema>> {
    const self = this.#o.nodes.self().id;
    const ancestors = () => this.#up.get(req.lectureId)?.ancestors ?? [];
    const assertOpen = () => {
      if (this.#closed) throw new CascadeRefusal('UNAVAILABLE', 503, 'This node is stopping.');
      if (from === self || ancestors().includes(from)) {
        throw new CascadeRefusal('LOOP', 409, `${from} is above this node for this lecture (${[self, ...ancestors()].join(' → ')}).`);
      }
      if (this.#down.size >= this.#o.maxLinks) throw new TeleclassError('LIMIT', `At most ${this.#o.maxLinks} links served to other nodes.`);
    };
    assertOpen();
    const room = await this.#o.registry.getOrCreate(req.lectureId); // the store is read to open it
    // Re-checked after the store's read: stopping, a loop or the caps filled meanwhile; the room closed again.
    assertOpen();
    if (room.closed || this.#o.registry.get(req.lectureId) !== room) throw new TeleclassError('NOT_FOUND', 'The lecture closed on this node.');
    let link: DownstreamLink | undefined;
    const { pipeId, local } = await room.media.pipes.open(from, () => link?.close());
    try {
      // Re-checked after the await: the room closed (emptied) meanwhile, or the caps filled up.
      if (room.closed || this.#o.registry.get(req.lectureId) !== room) throw new TeleclassError('NOT_FOUND', 'The lecture closed on this node.');
      assertOpen();
      await room.media.pipes.connect(pipeId, req.endpoint);
    } catch (error) {
      room.media.pipes.close(pipeId);
      throw error;
    }
    link = new DownstreamLink(pipeId, from, req.lectureId, room.media, (closed) => {
      this.#down.delete(closed.id);
      this.#log.info({ lectureId: closed.lectureId, node: closed.nodeId }, 'cascade: link to a downstream node closed');
      setImmediate(() => this.#o.registry.releaseIfEmpty(closed.lectureId));
    });
    if (!room.media.pipes.isOpen(pipeId)) link.close();
    else this.#down.set(pipeId, link);
    this.#log.info({ lectureId: req.lectureId, node: from }, 'cascade: a downstream node linked');
    return { linkId: pipeId, endpoint: local, ancestors: [self, ...ancestors()] };
  }

  follow(from: string, linkId: string, res: ServerResponse): void {
    this.#link(from, linkId).follow(res);
  }

  consume(from: string, linkId: string, producerId: string): Promise<PipedProducer> {
    const link = this.#link(from, linkId);
    return this.#media(link).pipes.consume(linkId, producerId);
  }

  async produce(from: string, linkId: string, piped: PipedProducer): Promise<void> {
    const link = this.#link(from, linkId);
    await this.#media(link).pipes.produce(linkId, piped);
  }

  setPaused(from: string, linkId: string, producerId: string, paused: boolean): Promise<void> {
    const link = this.#link(from, linkId);
    return this.#media(link).pipes.setPaused(linkId, producerId, paused);
  }

  requestKeyFrame(from: string, linkId: string, producerId: string): Promise<void> {
    const link = this.#link(from, linkId);
    return this.#media(link).pipes.requestKeyFrame(linkId, producerId);
  }

  closeProducer(from: string, linkId: string, producerId: string): void {
    const link = this.#link(from, linkId);
    this.#media(link).pipes.closeProducer(linkId, producerId);
  }

  closeLink(from: string, linkId: string): void {
    this.#down.get(linkId)?.nodeId === from && this.#down.get(linkId)?.close();
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#check);
    for (const up of this.#up.values()) up.stop();
    this.#up.clear();
    for (const link of [...this.#down.values()]) link.close();
  }

  // ------------------------------------------------------------------

  #follow(room: LectureRoom): void {
    if (this.#closed || this.#up.has(room.id)) return;
    const link = new UpstreamLink(room.media, room.id, {
      nodes: this.#o.nodes,
      origins: this.#o.origins,
      client: this.#o.client,
      preferred: this.#o.upstream,
      studioHere: () => room.media.producers().some((p) => isStudio(room, p.peerId) && room.media.producerVia(p.id) === null),
      log: this.#log,
    });
    this.#up.set(room.id, link);
    link.start();
    // The studio publishes on the lecture's origin: the node where its trainer (or studio feed)
    // sends claims it when nobody holds it — at once here, and again by the link's loop while the
    // old origin's claim has not lapsed yet (the trainer's page failed over from a dead origin).
    room.media.on('produceradded', (view) => {
      if (!isStudio(room, view.peerId) || room.media.producerVia(view.id) !== null) return;
      this.#o.origins.claim(room.id).catch((error: unknown) => this.#log.warn({ err: error, lectureId: room.id }, 'cascade: could not claim the origin'));
    });
  }

  #unfollow(lectureId: string): void {
    this.#up.get(lectureId)?.stop();
    this.#up.delete(lectureId);
  }

  #link(from: string, linkId: string): DownstreamLink {
    const link = this.#down.get(linkId);
    if (!link || link.closed || link.nodeId !== from) throw new TeleclassError('NOT_FOUND', 'No such link (it closed).');
    return link;
  }

  #media(link: DownstreamLink) {
    const room = this.#o.registry.get(link.lectureId);
    if (!room) throw new TeleclassError('NOT_FOUND', 'The lecture closed on this node.');
    return room.media;
  }

  /**
   * Links of nodes the registry no longer knows close (a host gone without closing its
   * connections), once two checks in a row missed it: an entry can lapse for a moment on a live
   * node whose heartbeats Redis or the machine held up, and closing its links then drops every
   * stream it relays until it links again. A node that died closes its links' connections itself.
   */
  async checkNodes(): Promise<void> {
    const nodeIds = new Set([...this.#down.values()].map((l) => l.nodeId));
    const missed = new Set<string>();
    for (const nodeId of nodeIds) {
      const node = await this.#o.nodes.get(nodeId).catch(() => undefined);
      if (node !== null) continue; // alive, or the registry did not answer: keep it
      missed.add(nodeId);
      if (!this.#missed.has(nodeId)) continue;
      this.#log.warn({ node: nodeId }, 'cascade: the registry has not listed a downstream node for two checks; its links close');
      for (const link of [...this.#down.values()]) if (link.nodeId === nodeId) link.close();
    }
    this.#missed = missed;
  }
}

/** The studio's streams: the trainer's, or the studio feed's (RTMP, SRT, WHIP). */
const isStudio = (room: LectureRoom, peerId: string) => peerId === FEED_PEER_ID || peerId === room.lecture.trainer?.id;
