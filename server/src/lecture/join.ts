import { randomUUID } from 'node:crypto';
import { TeleclassError, type RequestOf, type ResponseOf, type Role } from '@teleclass/shared';
import type { LectureRoom } from './LectureRoom.js';
import { Participant } from './Participant.js';
import type { Actor, Attachment } from './ports.js';
import type { ChatRecord, RemovalRecord } from '../store/Store.js';
import { chatView, removalViews } from './views.js';
import type { JoinTrace } from './joinTrace.js';
import type { PreparedRecv } from './preparedRecv.js';
import type { ConsumerInfo, TransportInfo } from '../media/LectureMedia.js';
import type { WireRtpCapabilities } from '../media/lectureMediaTypes.js';

/** How much chat history a joining participant gets. */
const CHAT_HISTORY = 200;

export interface JoinRequest {
  /** Who joins (from its token; an attendee of the shared link already has its personal identity). */
  identity: string;
  role: Role;
  site: string | null;
  displayName: string;
  /** The lobby place this connection holds, if it waits (it leaves it, to join or to wait again). */
  lobbyId: string | undefined;
  /** Signs the personal token the joiner keeps, if it needs one (an await, done before the checks). */
  sessionToken: () => Promise<string | null>;
  /** Also open the participant's receiving transport (`join { openRecv }`), beside the attendance write. */
  openRecv?: boolean | undefined;
  /**
   * The device's RTP capabilities (`join { rtpCapabilities }`): with `openRecv`, the transport is
   * opened with them and every stream of the answer's `producers` is consumed on it, sending.
   */
  rtpCapabilities?: WireRtpCapabilities | undefined;
  /**
   * The page's DTLS parameters (`join { dtlsParameters }`): with `openRecv`, the transport is
   * connected with them beside the consumes (`recvConnected`); a failed connect only means the
   * page sends `connectTransport` as before.
   */
  dtlsParameters?: RequestOf<'connectTransport'>['dtlsParameters'] | undefined;
  /**
   * The receiving transport this connection opened before the join (`prepareRecv`): with
   * `openRecv` the participant takes it over (its id is the one it was opened for) instead of
   * opening one; if it failed, the join opens one as without it.
   */
  prepared?: PreparedRecv | undefined;
  /** Times each step (the benchmark's breakdown; a no-op in production). */
  trace?: JoinTrace | undefined;
}

/** The answer to `join` but the device token (the connection's own business). */
export type JoinOutcome = DistributiveOmit<ResponseOf<'join'>, 'deviceToken' | 'resumeToken'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Joins the room through `via`, or puts the person in the lobby of a locked lecture. Everything
 * that needs an await happens first and side by side (the personal token, the router's
 * capabilities, the store's reads: removed?, the chat history, the removals list), so the store
 * adds no round trip of its own; then every assumption is checked again — the connection still
 * open, the room still open, this connection not joined meanwhile, the person not removed (in the
 * store, or here since the read) — and the lecture changes in one synchronous step, so nothing
 * can slip in between a check and its effect. The answer waits for the person's attendance
 * session to be written (AttendanceLog), the one store write a join makes; a viewer's receiving
 * transport (`openRecv`) is opened meanwhile, so neither waits for the other, and with the
 * device's capabilities the streams of the answer are consumed on it at once (`consumeAll`). (One
 * join at a time per connection is the caller's lock: see signaling/handlers/session.ts.)
 */
export async function joinRoom(room: LectureRoom, via: Attachment, req: JoinRequest): Promise<JoinOutcome> {
  // Independent: signed, asked and read at once (one wait on the join path instead of three).
  const { lecture } = room;
  const trace: JoinTrace = req.trace ?? ((_step, work) => work);
  const [sessionToken, routerRtpCapabilities, stored] = await Promise.all([
    trace('join: personal token', req.sessionToken()),
    // Not again for a device loaded with them before the join (it sent its own).
    req.rtpCapabilities ? null : trace('join: router capabilities', room.media.rtpCapabilities()),
    trace('join: store reads', readStored(room, { identity: req.identity, role: req.role, deviceId: via.deviceId })),
  ]);

  // ---- after the awaits: still connected, the lecture still open here, still allowed
  if (via.closed) throw new TeleclassError('DISCONNECTED');
  if (room.closed) throw new TeleclassError('NOT_FOUND', 'This lecture does not exist (any more).');
  if (room.isAttached(via)) throw new TeleclassError('ALREADY_JOINED');
  if (stored.removed || room.removedHere(req.identity, via.deviceId)) throw new TeleclassError('REMOVED');
  const { identity, role, displayName } = req;

  if (req.lobbyId) {
    via.leftLobby();
    room.leaveLobby(req.lobbyId);
  }
  if (lecture.mustWait(role, identity)) {
    const lobbyId = randomUUID();
    lecture.waitInLobby(lobbyId, displayName, identity); // LIMIT when the lobby is full
    via.enteredLobby(room, lobbyId);
    return { status: 'lobby', lecture: lecture.view(), sessionToken };
  }
  let stale = lecture.byIdentity(identity);
  // The same person held for a resume (its connection lost) joins afresh instead (its browser
  // lost the resume token, or the resume was refused): the held participant makes way at once.
  if (stale && !room.attachmentOf(stale.id)) {
    room.leave(stale.id, 'replaced');
    stale = undefined;
  }
  const staleVia = stale ? room.attachmentOf(stale.id) : undefined;
  if (!staleVia || staleVia === via) lecture.assertRoomFor(role); // a takeover frees its own place

  // A receiving transport the page opened before the press is taken over (one opened with the
  // join otherwise): the participant gets the id it was opened for.
  const prepared = req.openRecv && lecture.state !== 'ended' && req.prepared?.canAdopt(room) ? req.prepared : undefined;
  const participant = new Participant({ role, displayName, identity, site: req.site, id: prepared?.peerId });
  // The same person again (a kiosk that reloaded, a studio opened in a second window): the new
  // connection wins, the old one is told and closed, and the studio hears of it.
  if (stale && staleVia && staleVia !== via) {
    room.notify.peer(stale.id, 'replaced', {});
    room.letGo(stale.id, 'replaced');
  }
  const attendanceWritten = trace('join: attendance write', room.enter(participant, via));
  const actor = { participant, via };
  prepared?.adopt(() => room.assertPresent(actor));
  const producers = room.media.producers().filter((p) => p.peerId !== participant.id);
  // Opened beside the attendance write (or the prepared one, when it opened); a failure only
  // means the page asks `createTransport`.
  const open = () => trace('join: recv transport', room.streams.openRecvTransport(actor, req.rtpCapabilities)).catch(() => null);
  const adopted = prepared ? prepared.ready.then((p) => (p?.room === room ? p : null)) : Promise.resolve(null);
  const recvTransport = req.openRecv && lecture.state !== 'ended' ? adopted.then((p) => p?.transport ?? open()) : Promise.resolve(null);
  // …and with the device's capabilities, the streams the answer lists consumed on it, sending.
  const consumers = recvTransport.then((transport) =>
    transport && req.rtpCapabilities && producers.length > 0
      ? trace('join: consumes', consumeAll(room, actor, transport.id, producers.map((p) => p.id)))
      : [],
  );
  // …and with the page's DTLS parameters, the transport connected beside them.
  const dtlsParameters = req.dtlsParameters;
  const connected = Promise.all([recvTransport, adopted]).then(([transport, p]) =>
    p?.connected && transport === p.transport
      ? true
      : transport && dtlsParameters
      ? trace('join: recv connect', room.streams.connectTransport(actor, { transportId: transport.id, dtlsParameters })).then(
          () => true,
          () => false,
        )
      : false,
  );
  if (stale && (role === 'site' || role === 'trainer')) {
    const trainer = lecture.trainer;
    if (trainer) room.notify.peer(trainer.id, 'takenOver', { role, displayName });
  }
  const answer: JoinOutcome = {
    status: 'joined',
    self: { ...participant.view(), identity },
    sessionToken,
    routerRtpCapabilities,
    recvTransport: null,
    recvConnected: false,
    consumers: [],
    ...roomSnapshot(room, participant, stored),
  };
  // The answer (the room as this person entered it) goes once their session is in the store: a
  // crash right after a join must not lose it. Whatever happens meanwhile reaches them as
  // notifications, which the page applies after the answer.
  const [, transport, made, recvConnected] = await Promise.all([attendanceWritten, recvTransport, consumers, connected]);
  return { ...answer, recvTransport: transport satisfies TransportInfo | null, recvConnected, consumers: made };
}

/**
 * Consumes `producerIds` on the joiner's new receiving transport, at once and created sending (it
 * has not connected: nothing flows before DTLS, and mediasoup asks the sender for a key frame
 * when it connects). Each goes through the room's ordinary consume, so every check and cap of a
 * `consume` request applies, after each await too (the person left, the stream ended, the
 * consumers-per-peer cap); one refused is simply left out and the page consumes it as before
 * (an answer lists the rest). When the person left meanwhile the consumers close with their
 * transport, and the answer goes to nobody.
 */
async function consumeAll(room: LectureRoom, actor: Actor, transportId: string, producerIds: readonly string[]): Promise<ConsumerInfo[]> {
  const made = await Promise.all(
    producerIds.map((producerId) => room.streams.consume(actor, { transportId, producerId, resume: true }).catch(() => null)),
  );
  return made.filter((c): c is ConsumerInfo => c !== null);
}

/**
 * What a join or a resume reads from the store before its checks, side by side: whether the
 * person (or its browser) was removed, the chat history, the removed people (a trainer's). The
 * room's marks are taken before the reads, so `roomSnapshot` adds whatever changed meanwhile.
 */
export interface StoredView {
  removed: boolean;
  history: ChatRecord[];
  removals: RemovalRecord[];
  chatMark: number;
  removalsVersion: number;
}

export async function readStored(room: LectureRoom, who: { identity: string; role: Role; deviceId: string | null }): Promise<StoredView> {
  const { store } = room;
  const chatMark = room.chat.mark();
  const removalsVersion = room.removalsVersion;
  const [removed, history, removals] = await Promise.all([
    store.isRemoved(room.id, who.identity, who.deviceId),
    store.listChat(room.id, CHAT_HISTORY),
    who.role === 'trainer' ? store.listRemovals(room.id) : Promise.resolve([]),
  ]);
  return { removed, history, removals, chatMark, removalsVersion };
}

/**
 * The lecture as a participant finds it on joining (or resuming): everyone, every stream, hands,
 * floor, chat — the chat and removals as read before the checks (`readStored`) with what changed
 * here since. Called in the synchronous step that lets the participant in; a trainer whose list
 * of removed people was read before a removal (or restoration) made meanwhile gets it again.
 */
export function roomSnapshot(room: LectureRoom, participant: Participant, stored: StoredView) {
  const { lecture } = room;
  const trainer = participant.role === 'trainer';
  if (trainer && room.removalsVersion !== stored.removalsVersion) void room.tellTrainerRemovals().catch(() => undefined);
  return {
    lecture: lecture.view(),
    peers: room.presence.peersFor(participant),
    producers: room.media.producers(),
    hands: lecture.hands(),
    stage: lecture.stage(),
    invited: lecture.invitations(),
    chat: room.chat.withRecent(stored.history.map(chatView), stored.chatMark, CHAT_HISTORY),
    lobby: trainer ? lecture.lobby() : [],
    removed: trainer ? removalViews(stored.removals) : [],
  };
}
