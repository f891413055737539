import { randomUUID } from 'node:crypto';
import { TeleclassError, type ResponseOf } from '@teleclass/shared';
import { linkExpiry, newAttendeeIdentity, SHARED_ATTENDEE_IDENTITY } from '../../auth/tokens.js';
import { Participant } from '../../lecture/Participant.js';
import type { LectureRoom } from '../../lecture/LectureRegistry.js';
import type { Handler, JoinedSession, Session, SignalingDeps } from '../context.js';
import { lobbyRoomName, roomName } from '../context.js';
import { chatView } from '../views.js';

/** How much chat history a joining participant gets. */
const CHAT_HISTORY = 200;

function displayNameFor(session: Session, typed: string | undefined): string {
  const { role, name, site } = session.claims;
  if (role === 'site') return site ?? name ?? 'Classroom';
  if (role === 'trainer') return name ?? 'Trainer';
  const chosen = name ?? typed;
  if (!chosen) throw new TeleclassError('BAD_REQUEST', 'displayName: a name is needed');
  return chosen;
}

/** A person who came through the shared attendee link gets a personal identity and token. */
async function personalize(session: Session, displayName: string, deps: SignalingDeps, scheduledStart: string): Promise<string | null> {
  const { claims } = session;
  if (claims.role !== 'attendee' || claims.identity !== SHARED_ATTENDEE_IDENTITY) return null;
  session.claims = { ...claims, identity: newAttendeeIdentity(), name: displayName };
  return deps.tokens.sign(session.claims, linkExpiry(scheduledStart, deps.linkValidityHours));
}

export const join: Handler<'join'> = async (session, req, deps) => {
  const lectureId = session.claims.lectureId;
  const displayName = displayNameFor(session, req.displayName);
  const room = deps.registry.getOrCreate(lectureId);
  try {
    return await enter(session, room, displayName, deps);
  } finally {
    deps.registry.releaseIfEmpty(lectureId); // nobody got in (an error): do not keep the room open
  }
};

async function enter(session: Session, room: LectureRoom, displayName: string, deps: SignalingDeps): Promise<ResponseOf<'join'>> {
  const { store, sessions } = deps;
  const { lecture } = room;
  const lectureId = lecture.id;
  const sessionToken = await personalize(session, displayName, deps, lecture.scheduledStart);
  const { identity, role } = session.claims;
  if (store.isRemoved(lectureId, identity)) throw new TeleclassError('REMOVED');

  if (session.lobbyId) {
    lecture.leaveLobby(session.lobbyId);
    sessions.delete(session.lobbyId);
    session.lobbyId = undefined;
    await session.socket.leave(lobbyRoomName(lectureId));
  }
  if (lecture.mustWait(role, identity)) {
    session.lobbyId = randomUUID();
    session.room = room;
    sessions.set(session.lobbyId, session);
    await session.socket.join(lobbyRoomName(lectureId));
    lecture.waitInLobby(session.lobbyId, displayName, identity);
    return { status: 'lobby', lecture: lecture.view(), sessionToken };
  }

  // The same person again (a kiosk that reloaded, a trainer whose network dropped): the new
  // connection wins, the stale one is told and closed.
  const stale = lecture.byIdentity(identity);
  const staleSession = stale ? sessions.get(stale.id) : undefined;
  if (staleSession) {
    deps.notify.peer(stale!.id, 'replaced', {});
    leaveLecture(staleSession, deps, 'replaced', { keepRoom: true });
    staleSession.socket.disconnect(true);
  }

  const participant = new Participant({ role, displayName, identity, site: session.claims.site ?? null });
  lecture.join(participant);
  participant.attendanceId = store.recordJoin({
    lectureId,
    identity,
    role,
    name: displayName,
    site: participant.site,
    joinedAt: participant.joinedAt,
  }).id;
  session.room = room;
  session.participant = participant;
  sessions.set(participant.id, session);
  await session.socket.join(roomName(lectureId));

  const answer: ResponseOf<'join'> = {
    status: 'joined',
    self: { ...participant.view(), identity },
    sessionToken,
    routerRtpCapabilities: await room.media.rtpCapabilities(),
    lecture: lecture.view(),
    peers: lecture.participants.filter((p) => p !== participant).map((p) => p.view()),
    producers: room.media.producers(),
    hands: lecture.hands(),
    stage: lecture.stage(),
    chat: store.listChat(lectureId, CHAT_HISTORY).map(chatView),
    lobby: role === 'trainer' ? lecture.lobby() : [],
  };
  return answer;
}

/**
 * Closes everything the participant owns, writes down when it left and takes it out of the
 * lecture (or the lobby). Idempotent.
 */
export function leaveLecture(session: Session, deps: SignalingDeps, reason: string, opts: { keepRoom?: boolean } = {}): void {
  const { room, participant, lobbyId } = session;
  if (!room) return;
  session.room = undefined;
  session.participant = undefined;
  session.lobbyId = undefined;
  if (lobbyId) {
    deps.sessions.delete(lobbyId);
    void session.socket.leave(lobbyRoomName(room.lecture.id));
    room.lecture.leaveLobby(lobbyId);
  }
  if (participant) {
    deps.sessions.delete(participant.id);
    void session.socket.leave(roomName(room.lecture.id));
    room.media.closePeer(participant.id);
    room.lecture.leave(participant.id);
    if (participant.attendanceId) deps.store.recordLeave(participant.attendanceId, Date.now(), reason);
  }
  if (!opts.keepRoom) deps.registry.releaseIfEmpty(room.lecture.id);
}

export const leave: Handler<'leave'> = async (session, _req, deps) => {
  leaveLecture(session as JoinedSession, deps, 'left');
  return {};
};

export function assertLive(session: JoinedSession): void {
  if (session.room.lecture.state === 'ended') throw new TeleclassError('LECTURE_ENDED');
  if (session.room.lecture.state !== 'live') throw new TeleclassError('LECTURE_NOT_LIVE');
}
