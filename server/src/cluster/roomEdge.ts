import { TeleclassError } from '@teleclass/shared';
import { applyOrigin, waitingOf, type RoomPeer, type RoomState, type RoomWaiting } from '../lecture/roomCopy.js';
import type { Registered } from './roomProtocol.js';
import { peerOf, type Link, type RoomContext } from './roomLinks.js';
import { ROOM_REQUEST_TIMEOUT_MS } from './roomTiming.js';
import { actOnPeer } from './roomUseCases.js';

/**
 * The edge side of a room across nodes (roomLink.ts): this node keeps a copy of the origin's
 * room, registers its own participants with the origin, tells it of each arrival and departure
 * in order (and of each person who starts or stops waiting in its lobby), applies the states the
 * origin pushes, and acts on its own participants (and waiting people) when the origin asks.
 */
export class RoomEdge {
  readonly #c: RoomContext;

  constructor(context: RoomContext) {
    this.#c = context;
  }

  /** Registers this node's participants with the origin; the answer is the room, copied here. */
  async register(link: Link, origin: string): Promise<void> {
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
      const { lecture } = link.room;
      const peers = lecture.localParticipants.map((p) => peerOf(p, this.#c.self()));
      const lobby = lecture.lobbyEntries().flatMap((e) => (e.node === undefined ? [waitingOf(e, this.#c.self())] : []));
      const answer = await this.#c.deps.bus.request<Registered>(origin, 'room.register', { lectureId, peers, lobby }, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS });
      // After the await: still this registration, the room still open here.
      if (generation !== link.generation || link.room.closed) return;
      this.apply(link, origin, answer.epoch, answer.seq, answer.state);
      for (const id of answer.refused) this.#refuse(link, id);
      for (const id of answer.refusedLobby ?? []) this.#refuseWaiting(link, id);
      this.#c.log.info({ lectureId, origin, peers: answer.state.peers.length }, "registered with the lecture's origin");
    });
    link.chain = run.catch((error: unknown) => {
      if (generation !== link.generation) return;
      link.heardAt = 0; // the next poll tries again
      this.#c.log.warn({ lectureId, origin, err: (error as Error).message }, "could not register with the lecture's origin; trying again");
    });
    await link.chain;
  }

  /** A presence change for the origin, after the requests before it; tried twice (the same idempotency key: it runs once). */
  tellOrigin(link: Link, method: 'room.joined' | 'room.left' | 'room.knock' | 'room.unknock', payload: unknown, key: string): void {
    const generation = link.generation;
    void this.enqueue(link, async (origin) => {
      if (origin === null || generation !== link.generation) return; // a later registration carries it
      const send = () => this.#c.deps.bus.request(origin, method, payload, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS, idempotencyKey: key });
      const answer = (await send().catch((error: unknown) => {
        if (error instanceof TeleclassError && error.code === 'TIMEOUT') return send();
        throw error;
      })) as { refused?: unknown } | undefined;
      // The lecture is full across the cluster: this node's participant goes, as a single server would refuse it.
      if (method === 'room.joined' && answer?.refused === true && generation === link.generation) this.#refuse(link, (payload as { peer: RoomPeer }).peer.id);
      // The lobby is full across the cluster: this node's waiting person goes, as a single server would refuse it.
      if (method === 'room.knock' && answer?.refused === true && generation === link.generation) this.#refuseWaiting(link, (payload as { entry: RoomWaiting }).entry.peerId);
    }).catch((error: unknown) => {
      this.#c.log.warn({ lectureId: link.room.id, method, err: (error as Error).message }, 'the origin did not take a presence change; registering again');
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
    if (room.closed || this.#c.links.get(room.id) !== link || !p?.local) return;
    this.#c.log.warn({ lectureId: room.id, peerId }, 'the origin did not take a participant of this node (the lecture is full cluster-wide): it is let go with LIMIT');
    room.notify.peer(peerId, 'refused', { code: 'LIMIT', message: 'This lecture is full.' });
    if (room.attachmentOf(peerId)) room.letGo(peerId, 'full');
    else room.leave(peerId, 'full');
    this.#c.deps.registry.releaseIfEmpty(room.id);
  }

  /**
   * The origin's lobby did not take someone waiting here (MAX_LOBBY reached across the cluster):
   * told so with LIMIT (the code a single server's join answers), then out of the lobby.
   */
  #refuseWaiting(link: Link, lobbyId: string): void {
    const { room } = link;
    const entry = room.lecture.lobbyEntry(lobbyId);
    if (room.closed || this.#c.links.get(room.id) !== link || !entry || entry.node !== undefined) return;
    this.#c.log.warn({ lectureId: room.id, lobbyId }, "the origin's lobby did not take someone waiting on this node (the lobby is full cluster-wide): told LIMIT");
    room.notify.peer(lobbyId, 'refused', { code: 'LIMIT', message: 'Too many people are waiting; try again later.' });
    room.leaveLobby(lobbyId);
    this.#c.deps.registry.releaseIfEmpty(room.id);
  }

  /**
   * Runs `send` after the requests queued before it. `origin` is null when, by then, this node no
   * longer has an origin to ask (it became the origin, or is alone): the use-case runs here.
   * Presence changes of an earlier registration are dropped (`register` carries them).
   */
  enqueue<T>(link: Link, send: (origin: string | null) => Promise<T>): Promise<T> {
    const run = link.chain.then(() => send(link.mode === 'edge' ? link.origin : null));
    link.chain = run.catch(() => undefined);
    return run;
  }

  /** A copy of the origin's room, when newer than the one here. */
  apply(link: Link, origin: string, epoch: string, seq: number, state: RoomState): void {
    if (link.mode !== 'edge' || link.origin !== origin) return;
    link.heardAt = Date.now();
    if (link.epoch === epoch && seq <= link.seq) return;
    link.epoch = epoch;
    link.seq = seq;
    const { room } = link;
    const wasLocked = room.lecture.locked;
    applyOrigin(room.lecture, state, this.#c.self());
    // Unlocked on the origin: whoever waits in this node's lobby is let in, as on the origin.
    if (wasLocked && !room.lecture.locked) for (const { peerId } of room.lecture.lobby()) room.admit(peerId);
  }

  onState(msg: { lectureId: string; epoch: string; seq: number; state: RoomState }, from: string): object {
    const link = this.#c.links.get(msg.lectureId);
    if (link) this.apply(link, from, msg.epoch, msg.seq, msg.state);
    return {};
  }

  onDigest(msg: { lectureId: string; epoch: string; seq: number }, from: string): object {
    const link = this.#c.links.get(msg.lectureId);
    if (!link) {
      // This node closed its copy: the origin may forget it.
      void this.#c.deps.bus.request(from, 'room.bye', { lectureId: msg.lectureId }, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS }).catch(() => undefined);
      return {};
    }
    if (link.mode !== 'edge' || link.origin !== from) return {};
    link.heardAt = Date.now();
    if (link.epoch !== msg.epoch || msg.seq > link.seq) void this.register(link, from); // missed a state
    return {};
  }

  /** The trainer admitted someone waiting on this node (the origin's admit use-case): they are told here, and join here. */
  onAdmit(msg: { lectureId: string; lobbyId: string }, from: string): object {
    const link = this.#c.links.get(msg.lectureId);
    const entry = link?.room.lecture.lobbyEntry(msg.lobbyId);
    if (!link || link.origin !== from || !entry || entry.node !== undefined) throw new TeleclassError('NOT_FOUND', 'Nobody with that id is waiting on this node.');
    link.room.admit(msg.lobbyId);
    return {};
  }

  /** The origin acts on a participant of this node. */
  async onPeer(msg: { lectureId: string; peerId: string; op: 'mute' | 'remove' | 'replaced' }, from: string): Promise<object> {
    const link = this.#c.links.get(msg.lectureId);
    const p = link?.room.lecture.participant(msg.peerId);
    if (!link || link.origin !== from || !p?.local) throw new TeleclassError('NOT_FOUND', 'That participant is not on this node.');
    await actOnPeer(link.room, msg.peerId, msg.op);
    this.#c.deps.registry.releaseIfEmpty(link.room.id);
    return {};
  }
}
