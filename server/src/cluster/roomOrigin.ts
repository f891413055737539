import { TeleclassError } from '@teleclass/shared';
import { roomState, type RoomPeer, type RoomWaiting } from '../lecture/roomCopy.js';
import { Participant } from '../lecture/Participant.js';
import type { Registered, RoomOp } from './roomProtocol.js';
import type { Link, RoomContext } from './roomLinks.js';
import { ROOM_REQUEST_TIMEOUT_MS } from './roomTiming.js';
import { runUseCase } from './roomUseCases.js';

/**
 * The origin side of a room across nodes (roomLink.ts): this node holds the lecture's one room,
 * takes the other nodes' participants in (register, joined, left, bye) and their waiting people
 * into its lobby (register, knock, unknock), runs the use-cases they
 * forward, and pushes the room's state to every edge after each change.
 */
export class RoomOrigin {
  readonly #c: RoomContext;

  constructor(context: RoomContext) {
    this.#c = context;
  }

  /** The room of a lecture this node is the origin of (opened if it must be), or INVALID_STATE. */
  async #originRoom(lectureId: string): Promise<Link> {
    const room = await this.#c.deps.registry.getOrCreate(lectureId);
    // After the await: still open, and still (or now) this node's to hold.
    const link = this.#c.links.get(lectureId);
    if (room.closed || !link || link.room !== room) throw new TeleclassError('NOT_FOUND', 'The lecture closed on this node.');
    if (link.mode !== 'origin' && this.#c.deps.origins.held.has(lectureId)) this.#c.becomeOrigin(link);
    if (link.mode !== 'origin') throw new TeleclassError('INVALID_STATE', "This node is not the lecture's origin.");
    return link;
  }

  async onRegister(msg: { lectureId: string; peers: RoomPeer[]; lobby: RoomWaiting[] }, from: string): Promise<Registered> {
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
        else this.#c.log.warn({ lectureId: msg.lectureId, peerId: peer.id, err: (error as Error).message }, 'could not take a participant of another node');
      }
    }
    // The node's waiting people, as for its participants: what the origin had of that node is replaced.
    const waiting = new Set(msg.lobby.map((e) => e.peerId));
    for (const e of lecture.lobbyEntries()) if (e.node === from && !waiting.has(e.peerId)) lecture.leaveLobby(e.peerId);
    const refusedLobby: string[] = [];
    for (const entry of msg.lobby) if (!this.#addWaiting(link, entry, from)) refusedLobby.push(entry.peerId);
    link.subscribers.add(from);
    return { epoch: link.ownEpoch, seq: link.ownSeq, state: roomState(lecture, this.#c.self()), refused, refusedLobby };
  }

  async onJoined(msg: { lectureId: string; peer: RoomPeer }, from: string): Promise<{ refused: boolean }> {
    const link = this.#c.links.get(msg.lectureId);
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

  onLeft(msg: { lectureId: string; peerId: string }, from: string): object {
    const link = this.#c.links.get(msg.lectureId);
    if (link?.mode !== 'origin') return {};
    if (link.room.lecture.participant(msg.peerId)?.node === from) link.room.lecture.leave(msg.peerId);
    this.#c.deps.registry.releaseIfEmpty(msg.lectureId);
    return {};
  }

  async onKnock(msg: { lectureId: string; entry: RoomWaiting }, from: string): Promise<{ refused: boolean }> {
    const link = this.#c.links.get(msg.lectureId);
    if (!link || link.mode !== 'origin') throw new TeleclassError('INVALID_STATE', "This node is not the lecture's origin.");
    if (!link.subscribers.has(from)) throw new TeleclassError('INVALID_STATE', 'Register first.');
    return { refused: !this.#addWaiting(link, msg.entry, from) };
  }

  onUnknock(msg: { lectureId: string; lobbyId: string }, from: string): object {
    const link = this.#c.links.get(msg.lectureId);
    if (link?.mode !== 'origin') return {};
    if (link.room.lecture.lobbyEntry(msg.lobbyId)?.node === from) link.room.lecture.leaveLobby(msg.lobbyId);
    this.#c.deps.registry.releaseIfEmpty(msg.lectureId);
    return {};
  }

  /**
   * Someone waiting on node `from` enters the one lobby (the trainer sees them wherever the
   * trainer is): false when the lobby is full (MAX_LOBBY across every node), and the edge lets
   * them go with LIMIT. Already there (a retried knock): taken.
   */
  #addWaiting(link: Link, entry: RoomWaiting, from: string): boolean {
    const { lecture } = link.room;
    const have = lecture.lobbyEntry(entry.peerId);
    if (have) return have.node === from;
    try {
      lecture.waitInLobby(entry.peerId, entry.displayName, entry.identity, { node: from, since: entry.since });
      return true;
    } catch (error) {
      if (error instanceof TeleclassError && error.code === 'LIMIT') return false;
      throw error;
    }
  }

  onBye(msg: { lectureId: string }, from: string): object {
    const link = this.#c.links.get(msg.lectureId);
    if (link?.mode !== 'origin') return {};
    link.subscribers.delete(from);
    this.#c.dropRemote(link, (node) => node === from);
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
        if (twin.node !== from) void this.#c.deps.bus.request(twin.node!, 'room.peer', { lectureId: room.id, peerId: twin.id, op: 'replaced' }, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS }).catch(() => undefined);
      }
    }
    const remote = { node: from, id: peer.id, joinedAt: peer.joinedAt, soundBlocked: peer.soundBlocked };
    room.lecture.join(new Participant({ role: peer.role, displayName: peer.displayName, identity: peer.identity, site: peer.site, remote }));
  }

  async onOp(msg: { lectureId: string; op: RoomOp }, from: string): Promise<unknown> {
    const link = this.#c.links.get(msg.lectureId);
    if (!link || link.mode !== 'origin') throw new TeleclassError('INVALID_STATE', "This node is not the lecture's origin.");
    return this.runHere(link, msg.op, from);
  }

  /** A use-case on the room held here, asked by node `from` (roomUseCases.ts). */
  runHere(link: Link, op: RoomOp, from: string): Promise<unknown> {
    return runUseCase({ room: link.room, self: this.#c.self(), bus: this.#c.deps.bus, onStarted: this.#c.onStarted(), recordings: this.#c.recordings(), log: this.#c.log }, op, from);
  }

  /** The state to every edge, once per burst of changes (the next turn of the event loop). */
  schedulePush(link: Link): void {
    if (link.mode !== 'origin' || link.pushQueued) return;
    link.pushQueued = true;
    setImmediate(() => {
      link.pushQueued = false;
      if (link.mode !== 'origin' || link.room.closed || link.subscribers.size === 0) return;
      link.ownSeq++;
      const msg = { lectureId: link.room.id, epoch: link.ownEpoch, seq: link.ownSeq, state: roomState(link.room.lecture, this.#c.self()) };
      for (const node of link.subscribers) void this.#c.deps.bus.request(node, 'room.state', msg, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS }).catch(() => undefined);
    });
  }

  digest(link: Link): void {
    if (link.mode !== 'origin' || link.room.closed) return;
    const msg = { lectureId: link.room.id, epoch: link.ownEpoch, seq: link.ownSeq };
    for (const node of link.subscribers) void this.#c.deps.bus.request(node, 'room.digest', msg, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS }).catch(() => undefined);
  }
}
