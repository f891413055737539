import { randomUUID } from 'node:crypto';
import type { LectureRoom } from '../lecture/LectureRegistry.js';
import { waitingOf } from '../lecture/roomCopy.js';
import type { Logger } from '../logger.js';
import type { NodeInfo } from './ports.js';
import { RoomEdge } from './roomEdge.js';
import { peerOf, type ClusterRoomsDeps, type Link, type RoomContext } from './roomLinks.js';
import { RoomOrigin } from './roomOrigin.js';
import { parseRoomMessage, type RoomOp } from './roomProtocol.js';
import type { RoomRecordings } from './roomUseCases.js';
import { ROOM_DIGEST_MS, ROOM_POLL_MS, ROOM_REQUEST_TIMEOUT_MS, ROOM_SILENCE_MS } from './roomTiming.js';

export type { ClusterRoomsDeps } from './roomLinks.js';

/**
 * One lecture's room across the nodes of a cluster. The lecture's origin (tc:origin:<lectureId>,
 * the node of its trainer or studio feed) holds the room for everyone: the participants of every
 * node (each with the node it is connected to), hands, the floor, the lecture's state. Every other
 * node with people in the lecture (an edge) keeps a copy of it in its own Lecture, so its people's
 * join answers and notifications show the one room:
 *
 * - an edge **registers** with the origin when its room opens or the origin changes (its own
 *   participants; the answer is the room), and tells it of each participant that **joins** or
 *   **leaves** (in order, one request at a time, each tried twice with an idempotency key);
 * - an edge **forwards** the room's use-cases (raise/lower hand, answer an invitation, and the
 *   trainer's: give/take the floor, dismiss a hand, mute, remove, start, end, lock, admit, start
 *   and stop the recording) to the origin, which runs them on the one room;
 * - the lobby of a locked lecture is the origin's: an edge tells it of each of its own people who
 *   starts or stops waiting (**knock**, **unknock**), and the origin's admit of one of them is
 *   sent to their node, which lets them in;
 * - the origin **pushes** the room's state to every edge after each change (coalesced, numbered);
 *   an edge applies it to its copy, whose events tell its own people (signaling/wiring.ts) and
 *   stop the media of one of its participants that lost the floor; every ROOM_DIGEST_MS the origin
 *   sends the number alone, and an edge that missed one registers again;
 * - what must act on a participant's own node (mute its microphone, remove it, let it go because
 *   the same person joined on another node) is sent to that node.
 *
 * Failure: a node that leaves the registry (killed: ≤ 2.5 s) is dropped by the origin with its
 * participants; when the origin changes (or goes) each edge notices within ROOM_POLL_MS, drops the
 * copies of the old origin's room and registers its own participants with the new one. Without an
 * origin a node's room is its own, as on a single server. A node's trainer claims the origin.
 *
 * This class holds each open room's link and follows where the room is held; what an edge does
 * is in roomEdge.ts, what the origin does in roomOrigin.ts.
 */
export class ClusterRooms {
  readonly #d: ClusterRoomsDeps;
  readonly #log: Logger;
  readonly #links = new Map<string, Link>();
  #closed = false;
  /** Runs after a lecture went live on a trainer's request from another node (RecordingManager.started). */
  onStarted: ((lectureId: string) => Promise<void>) | undefined;
  /** This node's recordings: the trainer's start and stop asked on another node run here when this node holds the room. */
  recordings: RoomRecordings | undefined;
  /** This node's side as an edge of a room (roomEdge.ts) and as its origin (roomOrigin.ts). */
  readonly #edge: RoomEdge;
  readonly #origin: RoomOrigin;

  constructor(deps: ClusterRoomsDeps) {
    this.#d = deps;
    this.#log = deps.logger.child({ component: 'cluster-room' });
    const context: RoomContext = {
      deps,
      log: this.#log,
      links: this.#links,
      self: () => this.#self,
      onStarted: () => this.onStarted,
      recordings: () => this.recordings,
      becomeOrigin: (link) => this.#becomeOrigin(link),
      dropRemote: (link, drop) => this.#dropRemote(link, drop),
    };
    this.#edge = new RoomEdge(context);
    this.#origin = new RoomOrigin(context);
    const { registry, bus } = deps;
    registry.onOpen((room) => this.#open(room));
    registry.on('roomclosed', (room) => this.#closeLink(room));
    // The origin keeps the room while other nodes' people are in it.
    registry.holdOpen((id) => {
      const link = this.#links.get(id);
      if (link?.mode !== 'origin') return false;
      const { lecture } = link.room;
      return lecture.participants.some((p) => !p.local) || lecture.lobbyEntries().some((e) => e.node !== undefined);
    });
    deps.nodes.on('changed', (nodes) => this.#nodesChanged(nodes));
    bus.handle('room.register', (payload, from) => this.#origin.onRegister(parseRoomMessage('register', payload), from));
    bus.handle('room.joined', async (payload, from) => this.#origin.onJoined(parseRoomMessage('joined', payload), from));
    bus.handle('room.left', async (payload, from) => this.#origin.onLeft(parseRoomMessage('left', payload), from));
    bus.handle('room.knock', async (payload, from) => this.#origin.onKnock(parseRoomMessage('knock', payload), from));
    bus.handle('room.unknock', async (payload, from) => this.#origin.onUnknock(parseRoomMessage('unknock', payload), from));
    bus.handle('room.admit', async (payload, from) => this.#edge.onAdmit(parseRoomMessage('admit', payload), from));
    bus.handle('room.bye', async (payload, from) => this.#origin.onBye(parseRoomMessage('bye', payload), from));
    bus.handle('room.op', (payload, from) => this.#origin.onOp(parseRoomMessage('op', payload), from));
    bus.handle('room.state', async (payload, from) => this.#edge.onState(parseRoomMessage('state', payload), from));
    bus.handle('room.digest', async (payload, from) => this.#edge.onDigest(parseRoomMessage('digest', payload), from));
    bus.handle('room.peer', (payload, from) => this.#edge.onPeer(parseRoomMessage('peer', payload), from));
  }

  get #self(): string {
    return this.#d.nodes.self().id;
  }

  /** Where the room is held for this lecture now (tests, diagnostics). */
  modeOf(lectureId: string): { mode: Link['mode']; origin: string | null } | undefined {
    const link = this.#links.get(lectureId);
    return link && { mode: link.mode, origin: link.mode === 'origin' ? this.#self : link.origin };
  }

  /**
   * A use-case of `room` asked on this node: undefined when it runs here (this node holds the room,
   * or there is no origin), else the origin's answer (or, for a participant of another node, that
   * node's). Handlers: `await (rooms.forward(room, op) ?? room.localUseCase())`.
   */
  forward(room: LectureRoom, op: RoomOp): Promise<unknown> | undefined {
    const link = this.#links.get(room.id);
    if (!link || link.room !== room) return undefined;
    if (link.mode === 'edge') {
      return this.#edge.enqueue(link, (origin) =>
        origin === null ? this.#origin.runHere(link, op, this.#self) : this.#d.bus.request(origin, 'room.op', { lectureId: room.id, op }, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS }),
      );
    }
    if ((op.op === 'mute' || op.op === 'remove') && room.lecture.participant(op.peerId)?.local === false) return this.#origin.runHere(link, op, this.#self);
    // Someone waiting on another node: the origin admits them there.
    if (op.op === 'admit' && link.mode === 'origin' && room.lecture.lobbyEntry(op.peerId)?.node !== undefined) return this.#origin.runHere(link, op, this.#self);
    return undefined;
  }

  close(): void {
    this.#closed = true;
    for (const link of this.#links.values()) for (const t of link.timers) clearInterval(t);
    this.#links.clear();
  }

  // ------------------------------------------------------------------ every node: its rooms

  /** A room opens here (before anyone is let in): its link, and the copy of the origin's room if there is one. */
  async #open(room: LectureRoom): Promise<void> {
    if (this.#closed) return;
    const link: Link = {
      room,
      mode: 'alone',
      origin: null,
      epoch: null,
      seq: 0,
      heardAt: Date.now(),
      generation: 0,
      chain: Promise.resolve(),
      resolving: false,
      subscribers: new Set(),
      ownEpoch: randomUUID(),
      ownSeq: 0,
      pushQueued: false,
      timers: [],
    };
    this.#links.set(room.id, link);
    const { lecture } = room;
    for (const event of ['participantjoined', 'participantleft', 'participantupdated', 'statechanged', 'handschanged', 'stagechanged', 'invitationschanged', 'lobbychanged'] as const) {
      lecture.on(event, () => this.#origin.schedulePush(link));
    }
    lecture.on('participantjoined', (p) => {
      if (!p.local) return;
      if (link.mode === 'edge') this.#edge.tellOrigin(link, 'room.joined', { lectureId: room.id, peer: peerOf(p, this.#self) }, `joined:${p.id}`);
      if (p.role === 'trainer' && link.mode !== 'origin') void this.#claim(link);
    });
    // A participant of this node whose browser blocks (or no longer blocks) the sound: the origin's room says so too.
    lecture.on('participantupdated', (p) => {
      if (!p.local || link.mode !== 'edge') return;
      const op = { op: 'soundBlocked' as const, peerId: p.id, blocked: p.view().soundBlocked };
      void this.#edge.enqueue(link, (origin) => (origin === null ? Promise.resolve() : this.#d.bus.request(origin, 'room.op', { lectureId: room.id, op }, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS }))).catch(
        () => undefined,
      );
    });
    lecture.on('participantleft', (p) => {
      if (p.local && link.mode === 'edge') this.#edge.tellOrigin(link, 'room.left', { lectureId: room.id, peerId: p.id }, `left:${p.id}`);
    });
    // Someone of this node starts or stops waiting: the origin's lobby (the one the trainer sees) follows.
    lecture.on('ownlobbychanged', (entry, waiting) => {
      if (link.mode !== 'edge') return;
      if (waiting) this.#edge.tellOrigin(link, 'room.knock', { lectureId: room.id, entry: waitingOf(entry, this.#self) }, `knock:${entry.peerId}`);
      else this.#edge.tellOrigin(link, 'room.unknock', { lectureId: room.id, lobbyId: entry.peerId }, `unknock:${entry.peerId}`);
    });
    const poll = setInterval(() => void this.#resolve(link), ROOM_POLL_MS);
    const digest = setInterval(() => this.#origin.digest(link), ROOM_DIGEST_MS);
    poll.unref();
    digest.unref();
    link.timers.push(poll, digest);
    await this.#resolve(link);
  }

  #closeLink(room: LectureRoom): void {
    const link = this.#links.get(room.id);
    if (!link || link.room !== room) return;
    for (const t of link.timers) clearInterval(t);
    this.#links.delete(room.id);
    if (link.mode === 'edge' && link.origin) void this.#d.bus.request(link.origin, 'room.bye', { lectureId: room.id }, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS }).catch(() => undefined);
  }

  /** Which node holds the room now; this node's link follows (registers with a new origin, becomes it, or is alone). */
  async #resolve(link: Link): Promise<void> {
    if (link.room.closed) {
      for (const t of link.timers) clearInterval(t);
      if (this.#links.get(link.room.id) === link) this.#closeLink(link.room);
    }
    if (link.resolving || link.room.closed || this.#closed) return;
    link.resolving = true;
    try {
      const origin = await this.#d.origins.originOf(link.room.id).catch(() => undefined);
      // After the await: the room closed, or Redis did not answer (then everything stays as it is).
      if (origin === undefined || link.room.closed || this.#links.get(link.room.id) !== link) return;
      if (origin === null) {
        if (link.mode !== 'alone') this.#becomeAlone(link);
        if (link.room.lecture.localParticipants.some((p) => p.role === 'trainer')) await this.#claim(link);
        return;
      }
      if (origin.id === this.#self) {
        if (link.mode !== 'origin') this.#becomeOrigin(link);
        return;
      }
      const silent = Date.now() - link.heardAt > ROOM_SILENCE_MS;
      if (link.mode === 'edge' && link.origin === origin.id && !silent) return;
      await this.#edge.register(link, origin.id);
    } finally {
      link.resolving = false;
    }
  }

  /** The trainer is here: this node claims the origin when nobody holds it. */
  async #claim(link: Link): Promise<void> {
    const holder = await this.#d.origins.claim(link.room.id).catch(() => null);
    if (holder?.id === this.#self && !link.room.closed && link.mode !== 'origin' && this.#links.get(link.room.id) === link) this.#becomeOrigin(link);
  }

  #becomeAlone(link: Link): void {
    this.#log.info({ lectureId: link.room.id, was: link.origin }, "the lecture's origin is gone: this node's room is its own until there is one");
    link.mode = 'alone';
    link.origin = null;
    link.generation++;
    this.#dropRemote(link, () => true);
  }

  #becomeOrigin(link: Link): void {
    const previous = link.origin;
    this.#log.info({ lectureId: link.room.id, previous }, 'this node holds the lecture\'s room for the cluster');
    link.mode = 'origin';
    link.origin = null;
    link.generation++;
    link.ownEpoch = randomUUID();
    link.ownSeq = 0;
    link.subscribers = new Set();
    // Other nodes' people stay while their node lives (it registers again within ROOM_POLL_MS); the old origin's go.
    const alive = new Set(this.#d.nodes.known.map((n) => n.id));
    this.#dropRemote(link, (node) => node === previous || !alive.has(node));
  }

  /** The participants and waiting people of the nodes `drop` says are gone leave this node's room and lobby. */
  #dropRemote(link: Link, drop: (node: string) => boolean): void {
    const { lecture } = link.room;
    for (const p of lecture.participants) if (!p.local && drop(p.node!)) lecture.leave(p.id);
    for (const e of lecture.lobbyEntries()) if (e.node !== undefined && drop(e.node)) lecture.leaveLobby(e.peerId);
    this.#d.registry.releaseIfEmpty(link.room.id);
  }

  #nodesChanged(nodes: NodeInfo[]): void {
    const alive = new Set(nodes.map((n) => n.id));
    for (const link of this.#links.values()) {
      if (link.mode === 'origin') {
        for (const s of [...link.subscribers]) if (!alive.has(s)) link.subscribers.delete(s);
        this.#dropRemote(link, (node) => !alive.has(node));
      } else if (link.mode === 'edge' && link.origin && !alive.has(link.origin)) {
        void this.#resolve(link);
      }
    }
  }
}
