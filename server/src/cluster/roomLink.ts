import { randomUUID } from 'node:crypto';
import { TeleclassError } from '@teleclass/shared';
import type { RoomPeer, RoomState } from '../lecture/Lecture.js';
import type { LectureRegistry, LectureRoom } from '../lecture/LectureRegistry.js';
import { Participant } from '../lecture/Participant.js';
import type { Logger } from '../logger.js';
import type { ClusterBus } from './bus.js';
import type { NodeInfo } from './ports.js';
import { parseRoomMessage, type Registered, type RoomOp } from './roomProtocol.js';
import { ROOM_DIGEST_MS, ROOM_POLL_MS, ROOM_REQUEST_TIMEOUT_MS, ROOM_SILENCE_MS } from './roomTiming.js';
import { actOnPeer, runUseCase } from './roomUseCases.js';

export interface ClusterRoomsDeps {
  registry: LectureRegistry;
  nodes: { self(): NodeInfo; readonly known: NodeInfo[]; on(event: 'changed', listener: (nodes: NodeInfo[]) => void): unknown };
  origins: { claim(lectureId: string): Promise<NodeInfo>; originOf(lectureId: string): Promise<NodeInfo | null>; readonly held: ReadonlySet<string> };
  bus: ClusterBus;
  logger: Logger;
}

/** One open room's place in the cluster. */
interface Link {
  readonly room: LectureRoom;
  /** origin: this node holds the room for everyone; edge: a copy of `origin`'s; alone: no origin yet (or it is gone). */
  mode: 'alone' | 'origin' | 'edge';
  origin: string | null;
  /** Edge: the origin's room instance and state number last applied; when it last heard of its origin. */
  epoch: string | null;
  seq: number;
  heardAt: number;
  /** Moves on with every registration: presence changes queued for an earlier one are dropped (the registration carried them). */
  generation: number;
  /** Requests to the origin, one after the other (a join reaches it before that participant's hand). */
  chain: Promise<unknown>;
  resolving: boolean;
  /** Origin: nodes that hold a copy, this room's instance and state number, a push scheduled. */
  subscribers: Set<string>;
  ownEpoch: string;
  ownSeq: number;
  pushQueued: boolean;
  timers: NodeJS.Timeout[];
}

const peerOf = (p: Participant, node: string): RoomPeer => ({ ...p.view(), identity: p.identity, node: p.node ?? node });

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
 *   trainer's: give/take the floor, dismiss a hand, mute, remove, start, end, lock) to the origin,
 *   which runs them on the one room;
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
 */
export class ClusterRooms {
  readonly #d: ClusterRoomsDeps;
  readonly #log: Logger;
  readonly #links = new Map<string, Link>();
  #closed = false;
  /** Runs after a lecture went live on a trainer's request from another node (RecordingManager.started). */
  onStarted: ((lectureId: string) => Promise<void>) | undefined;

  constructor(deps: ClusterRoomsDeps) {
    this.#d = deps;
    this.#log = deps.logger.child({ component: 'cluster-room' });
    const { registry, bus } = deps;
    registry.onOpen((room) => this.#open(room));
    registry.on('roomclosed', (room) => this.#closeLink(room));
    // The origin keeps the room while other nodes' people are in it.
    registry.holdOpen((id) => this.#links.get(id)?.mode === 'origin' && (this.#links.get(id)?.room.lecture.participants.some((p) => !p.local) ?? false));
    deps.nodes.on('changed', (nodes) => this.#nodesChanged(nodes));
    bus.handle('room.register', (payload, from) => this.#onRegister(parseRoomMessage('register', payload), from));
    bus.handle('room.joined', async (payload, from) => this.#onJoined(parseRoomMessage('joined', payload), from));
    bus.handle('room.left', async (payload, from) => this.#onLeft(parseRoomMessage('left', payload), from));
    bus.handle('room.bye', async (payload, from) => this.#onBye(parseRoomMessage('bye', payload), from));
    bus.handle('room.op', (payload, from) => this.#onOp(parseRoomMessage('op', payload), from));
    bus.handle('room.state', async (payload, from) => this.#onState(parseRoomMessage('state', payload), from));
    bus.handle('room.digest', async (payload, from) => this.#onDigest(parseRoomMessage('digest', payload), from));
    bus.handle('room.peer', (payload, from) => this.#onPeer(parseRoomMessage('peer', payload), from));
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
      return this.#enqueue(link, (origin) =>
        origin === null ? this.#runHere(link, op, this.#self) : this.#d.bus.request(origin, 'room.op', { lectureId: room.id, op }, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS }),
      );
    }
    if ((op.op === 'mute' || op.op === 'remove') && room.lecture.participant(op.peerId)?.local === false) return this.#runHere(link, op, this.#self);
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
    for (const event of ['participantjoined', 'participantleft', 'participantupdated', 'statechanged', 'handschanged', 'stagechanged', 'invitationschanged'] as const) {
      lecture.on(event, () => this.#schedulePush(link));
    }
    lecture.on('participantjoined', (p) => {
      if (!p.local) return;
      if (link.mode === 'edge') this.#tellOrigin(link, 'room.joined', { lectureId: room.id, peer: peerOf(p, this.#self) }, `joined:${p.id}`);
      if (p.role === 'trainer' && link.mode !== 'origin') void this.#claim(link);
    });
    // A participant of this node whose browser blocks (or no longer blocks) the sound: the origin's room says so too.
    lecture.on('participantupdated', (p) => {
      if (!p.local || link.mode !== 'edge') return;
      const op = { op: 'soundBlocked' as const, peerId: p.id, blocked: p.view().soundBlocked };
      void this.#enqueue(link, (origin) => (origin === null ? Promise.resolve() : this.#d.bus.request(origin, 'room.op', { lectureId: room.id, op }, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS }))).catch(
        () => undefined,
      );
    });
    lecture.on('participantleft', (p) => {
      if (p.local && link.mode === 'edge') this.#tellOrigin(link, 'room.left', { lectureId: room.id, peerId: p.id }, `left:${p.id}`);
    });
    const poll = setInterval(() => void this.#resolve(link), ROOM_POLL_MS);
    const digest = setInterval(() => this.#digest(link), ROOM_DIGEST_MS);
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
      await this.#register(link, origin.id);
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
    this.#dropRemote(link, (p) => p.node === previous || !alive.has(p.node!));
  }

  /** Other nodes' participants that `drop` says are gone leave this node's room. */
  #dropRemote(link: Link, drop: (p: Participant) => boolean): void {
    const { lecture } = link.room;
    for (const p of lecture.participants) if (!p.local && drop(p)) lecture.leave(p.id);
    this.#d.registry.releaseIfEmpty(link.room.id);
  }

  /** Registers this node's participants with the origin; the answer is the room, copied here. */
  async #register(link: Link, origin: string): Promise<void> {
    const generation = ++link.generation;
    link.mode = 'edge';
    link.origin = origin;
    link.epoch = null;
    link.seq = 0;
    link.heardAt = Date.now();
    const lectureId = link.room.id;
    const run = link.chain.then(async () => {
      if (generation !== link.generation) return;
      // Read when sent: whoever joined or left while earlier requests ran is in it.
      const peers = link.room.lecture.localParticipants.map((p) => peerOf(p, this.#self));
      const answer = await this.#d.bus.request<Registered>(origin, 'room.register', { lectureId, peers }, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS });
      // After the await: still this registration, the room still open here.
      if (generation !== link.generation || link.room.closed) return;
      this.#apply(link, origin, answer.epoch, answer.seq, answer.state);
      for (const id of answer.refused) this.#refuse(link, id);
      this.#log.info({ lectureId, origin, peers: answer.state.peers.length }, "registered with the lecture's origin");
    });
    link.chain = run.catch((error: unknown) => {
      if (generation !== link.generation) return;
      link.heardAt = 0; // the next poll tries again
      this.#log.warn({ lectureId, origin, err: (error as Error).message }, "could not register with the lecture's origin; trying again");
    });
    await link.chain;
  }

  /** A presence change for the origin, after the requests before it; tried twice (the same idempotency key: it runs once). */
  #tellOrigin(link: Link, method: 'room.joined' | 'room.left', payload: unknown, key: string): void {
    const generation = link.generation;
    void this.#enqueue(link, async (origin) => {
      if (origin === null || generation !== link.generation) return; // a later registration carries it
      const send = () => this.#d.bus.request(origin, method, payload, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS, idempotencyKey: key });
      const answer = (await send().catch((error: unknown) => {
        if (error instanceof TeleclassError && error.code === 'TIMEOUT') return send();
        throw error;
      })) as { refused?: unknown } | undefined;
      // The lecture is full across the cluster: this node's participant goes, as a single server would refuse it.
      if (method === 'room.joined' && answer?.refused === true && generation === link.generation) this.#refuse(link, (payload as { peer: RoomPeer }).peer.id);
    }).catch((error: unknown) => {
      this.#log.warn({ lectureId: link.room.id, method, err: (error as Error).message }, 'the origin did not take a presence change; registering again');
      link.heardAt = 0;
    });
  }

  /**
   * The origin did not take a participant of this node (the lecture full cluster-wide): it is told
   * so with the code a single server's join answers (LIMIT), then let go. Checked when it runs: one
   * that left meanwhile, or a room that closed or moved on, is left alone.
   */
  #refuse(link: Link, peerId: string): void {
    const { room } = link;
    const p = room.lecture.participant(peerId);
    if (room.closed || this.#links.get(room.id) !== link || !p?.local) return;
    this.#log.warn({ lectureId: room.id, peerId }, 'the origin did not take a participant of this node (the lecture is full cluster-wide): it is let go with LIMIT');
    room.notify.peer(peerId, 'refused', { code: 'LIMIT', message: 'This lecture is full.' });
    if (room.attachmentOf(peerId)) room.letGo(peerId, 'full');
    else room.leave(peerId, 'full');
    this.#d.registry.releaseIfEmpty(room.id);
  }

  /**
   * Runs `send` after the requests queued before it. `origin` is null when, by then, this node no
   * longer has an origin to ask (it became the origin, or is alone): the use-case runs here.
   * Presence changes of an earlier registration are dropped (`#register` carries them).
   */
  #enqueue<T>(link: Link, send: (origin: string | null) => Promise<T>): Promise<T> {
    const run = link.chain.then(() => send(link.mode === 'edge' ? link.origin : null));
    link.chain = run.catch(() => undefined);
    return run;
  }

  /** A copy of the origin's room, when newer than the one here. */
  #apply(link: Link, origin: string, epoch: string, seq: number, state: RoomState): void {
    if (link.mode !== 'edge' || link.origin !== origin) return;
    link.heardAt = Date.now();
    if (link.epoch === epoch && seq <= link.seq) return;
    link.epoch = epoch;
    link.seq = seq;
    const { room } = link;
    const wasLocked = room.lecture.locked;
    room.lecture.applyOrigin(state, this.#self);
    // Unlocked on the origin: whoever waits in this node's lobby is let in, as on the origin.
    if (wasLocked && !room.lecture.locked) for (const { peerId } of room.lecture.lobby()) room.admit(peerId);
  }

  #nodesChanged(nodes: NodeInfo[]): void {
    const alive = new Set(nodes.map((n) => n.id));
    for (const link of this.#links.values()) {
      if (link.mode === 'origin') {
        for (const s of [...link.subscribers]) if (!alive.has(s)) link.subscribers.delete(s);
        this.#dropRemote(link, (p) => !alive.has(p.node!));
      } else if (link.mode === 'edge' && link.origin && !alive.has(link.origin)) {
        void this.#resolve(link);
      }
    }
  }

  // ------------------------------------------------------------------ the origin

  /** The room of a lecture this node is the origin of (opened if it must be), or INVALID_STATE. */
  async #originRoom(lectureId: string): Promise<Link> {
    const room = await this.#d.registry.getOrCreate(lectureId);
    // After the await: still open, and still (or now) this node's to hold.
    const link = this.#links.get(lectureId);
    if (room.closed || !link || link.room !== room) throw new TeleclassError('NOT_FOUND', 'The lecture closed on this node.');
    if (link.mode !== 'origin' && this.#d.origins.held.has(lectureId)) this.#becomeOrigin(link);
    if (link.mode !== 'origin') throw new TeleclassError('INVALID_STATE', "This node is not the lecture's origin.");
    return link;
  }

  async #onRegister(msg: { lectureId: string; peers: RoomPeer[] }, from: string): Promise<Registered> {
    const link = await this.#originRoom(msg.lectureId);
    const { lecture } = link.room;
    const incoming = new Set(msg.peers.map((p) => p.id));
    for (const p of lecture.participants) if (p.node === from && !incoming.has(p.id)) lecture.leave(p.id);
    const refused: string[] = [];
    for (const peer of msg.peers) {
      if (lecture.participant(peer.id)) continue;
      try {
        this.#addRemote(link, peer, from);
      } catch (error) {
        // Only "the lecture is full" lets the edge's participant go; anything else is logged (it stays in on its node).
        if (error instanceof TeleclassError && error.code === 'LIMIT') refused.push(peer.id);
        else this.#log.warn({ lectureId: msg.lectureId, peerId: peer.id, err: (error as Error).message }, 'could not take a participant of another node');
      }
    }
    link.subscribers.add(from);
    return { epoch: link.ownEpoch, seq: link.ownSeq, state: lecture.roomState(this.#self), refused };
  }

  async #onJoined(msg: { lectureId: string; peer: RoomPeer }, from: string): Promise<{ refused: boolean }> {
    const link = this.#links.get(msg.lectureId);
    if (!link || link.mode !== 'origin') throw new TeleclassError('INVALID_STATE', "This node is not the lecture's origin.");
    if (!link.subscribers.has(from)) throw new TeleclassError('INVALID_STATE', 'Register first.');
    if (link.room.lecture.participant(msg.peer.id)) return { refused: false };
    try {
      this.#addRemote(link, msg.peer, from);
    } catch (error) {
      // The lecture is full (MAX_PARTICIPANTS across every node): the edge lets that participant go.
      if (error instanceof TeleclassError && error.code === 'LIMIT') return { refused: true };
      throw error;
    }
    return { refused: false };
  }

  #onLeft(msg: { lectureId: string; peerId: string }, from: string): object {
    const link = this.#links.get(msg.lectureId);
    if (link?.mode !== 'origin') return {};
    if (link.room.lecture.participant(msg.peerId)?.node === from) link.room.lecture.leave(msg.peerId);
    this.#d.registry.releaseIfEmpty(msg.lectureId);
    return {};
  }

  #onBye(msg: { lectureId: string }, from: string): object {
    const link = this.#links.get(msg.lectureId);
    if (link?.mode !== 'origin') return {};
    link.subscribers.delete(from);
    this.#dropRemote(link, (p) => p.node === from);
    return {};
  }

  /**
   * Another node's participant enters the one room. The same person already here (a kiosk that
   * reloaded onto another node): the old one is let go, on its own node.
   */
  #addRemote(link: Link, peer: RoomPeer, from: string): void {
    const { room } = link;
    const twin = room.lecture.byIdentity(peer.identity);
    if (twin && twin.id !== peer.id) {
      if (twin.local) {
        room.notify.peer(twin.id, 'replaced', {});
        if (room.attachmentOf(twin.id)) room.letGo(twin.id, 'replaced');
        else room.leave(twin.id, 'replaced');
      } else {
        room.lecture.leave(twin.id);
        if (twin.node !== from) void this.#d.bus.request(twin.node!, 'room.peer', { lectureId: room.id, peerId: twin.id, op: 'replaced' }, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS }).catch(() => undefined);
      }
    }
    const remote = { node: from, id: peer.id, joinedAt: peer.joinedAt, soundBlocked: peer.soundBlocked };
    room.lecture.join(new Participant({ role: peer.role, displayName: peer.displayName, identity: peer.identity, site: peer.site, remote }));
  }

  async #onOp(msg: { lectureId: string; op: RoomOp }, from: string): Promise<unknown> {
    const link = this.#links.get(msg.lectureId);
    if (!link || link.mode !== 'origin') throw new TeleclassError('INVALID_STATE', "This node is not the lecture's origin.");
    return this.#runHere(link, msg.op, from);
  }

  /** A use-case on the room held here, asked by node `from` (roomUseCases.ts). */
  #runHere(link: Link, op: RoomOp, from: string): Promise<unknown> {
    return runUseCase({ room: link.room, self: this.#self, bus: this.#d.bus, onStarted: this.onStarted }, op, from);
  }

  /** The state to every edge, once per burst of changes (the next turn of the event loop). */
  #schedulePush(link: Link): void {
    if (link.mode !== 'origin' || link.pushQueued) return;
    link.pushQueued = true;
    setImmediate(() => {
      link.pushQueued = false;
      if (link.mode !== 'origin' || link.room.closed || link.subscribers.size === 0) return;
      link.ownSeq++;
      const msg = { lectureId: link.room.id, epoch: link.ownEpoch, seq: link.ownSeq, state: link.room.lecture.roomState(this.#self) };
      for (const node of link.subscribers) void this.#d.bus.request(node, 'room.state', msg, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS }).catch(() => undefined);
    });
  }

  #digest(link: Link): void {
    if (link.mode !== 'origin' || link.room.closed) return;
    const msg = { lectureId: link.room.id, epoch: link.ownEpoch, seq: link.ownSeq };
    for (const node of link.subscribers) void this.#d.bus.request(node, 'room.digest', msg, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS }).catch(() => undefined);
  }

  // ------------------------------------------------------------------ an edge

  #onState(msg: { lectureId: string; epoch: string; seq: number; state: RoomState }, from: string): object {
    const link = this.#links.get(msg.lectureId);
    if (link) this.#apply(link, from, msg.epoch, msg.seq, msg.state);
    return {};
  }

  #onDigest(msg: { lectureId: string; epoch: string; seq: number }, from: string): object {
    const link = this.#links.get(msg.lectureId);
    if (!link) {
      // This node closed its copy: the origin may forget it.
      void this.#d.bus.request(from, 'room.bye', { lectureId: msg.lectureId }, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS }).catch(() => undefined);
      return {};
    }
    if (link.mode !== 'edge' || link.origin !== from) return {};
    link.heardAt = Date.now();
    if (link.epoch !== msg.epoch || msg.seq > link.seq) void this.#register(link, from); // missed a state
    return {};
  }

  /** The origin acts on a participant of this node. */
  async #onPeer(msg: { lectureId: string; peerId: string; op: 'mute' | 'remove' | 'replaced' }, from: string): Promise<object> {
    const link = this.#links.get(msg.lectureId);
    const p = link?.room.lecture.participant(msg.peerId);
    if (!link || link.origin !== from || !p?.local) throw new TeleclassError('NOT_FOUND', 'That participant is not on this node.');
    await actOnPeer(link.room, msg.peerId, msg.op);
    this.#d.registry.releaseIfEmpty(link.room.id);
    return {};
  }
}
