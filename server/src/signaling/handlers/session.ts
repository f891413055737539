import { randomUUID } from 'node:crypto';
import { TeleclassError, type ResponseOf } from '@teleclass/shared';
import { linkExpiry, newAttendeeIdentity, SHARED_ATTENDEE_IDENTITY } from '../../auth/tokens.js';
import { Participant } from '../../lecture/Participant.js';
import type { LectureRoom } from '../../lecture/LectureRegistry.js';
import type { Handler, JoinedSession, Session, SignalingDeps } from '../context.js';
import { lobbyRoomName, roomName } from '../context.js';
import { chatView, removalViews } from '../views.js';

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

/**
 * One join at a time per connection: a second `join` while one is under way is refused, so two
 * joins sent at once can never both add a participant (the "already joined" check of the
 * permission table only sees a participant once a join has finished).
 */
export const join: Handler<'join'> = async (session, req, deps) => {
  if (session.joining) throw new TeleclassError('ALREADY_JOINED', 'A join is already under way.');
  session.joining = true;
  const lectureId = session.claims.lectureId;
  try {
    const displayName = displayNameFor(session, req.displayName);
    return await enter(session, deps.registry.getOrCreate(lectureId), displayName, deps);
  } finally {
    session.joining = false;
    deps.registry.releaseIfEmpty(lectureId); // nobody got in (an error): do not keep the room open
  }
};

/**
 * Everything that needs an await happens first (signing a personal token, the router's
 * capabilities); then every assumption is checked again and the lecture changes in one
 * synchronous step, so nothing can slip in between a check and its effect.
 */
async function enter(session: Session, room: LectureRoom, displayName: string, deps: SignalingDeps): Promise<ResponseOf<'join'>> {
  const { store, sessions } = deps;
  const { lecture } = room;
  const lectureId = lecture.id;
  const claims = personalClaims(session, displayName);
  const sessionToken = claims === session.claims ? null : await deps.tokens.sign(claims, linkExpiry(lecture.scheduledStart, deps.linkValidityHours));
  const routerRtpCapabilities = await room.media.rtpCapabilities();

  // ---- after the awaits: still connected, the lecture still open here, still allowed
  if (session.closed) throw new TeleclassError('DISCONNECTED');
  if (deps.registry.get(lectureId) !== room) throw new TeleclassError('NOT_FOUND', 'This lecture does not exist (any more).');
  if (session.participant) throw new TeleclassError('ALREADY_JOINED');
  if (store.isRemoved(lectureId, claims.identity, session.deviceId)) throw new TeleclassError('REMOVED');
  const { identity, role } = claims;
  const deviceToken = session.newDeviceToken;

  if (session.lobbyId) leaveLobby(session, deps);
  if (lecture.mustWait(role, identity)) {
    const lobbyId = randomUUID();
    lecture.waitInLobby(lobbyId, displayName, identity); // LIMIT when the lobby is full
    session.claims = claims;
    session.lobbyId = lobbyId;
    session.room = room;
    sessions.set(lobbyId, session);
    void session.socket.join(lobbyRoomName(lectureId));
    return { status: 'lobby', lecture: lecture.view(), sessionToken, deviceToken };
  }
  const stale = lecture.byIdentity(identity);
  const staleSession = stale ? sessions.get(stale.id) : undefined;
  if (!staleSession || staleSession === session) lecture.assertRoomFor(role); // a takeover frees its own place

  const participant = new Participant({ role, displayName, identity, site: claims.site ?? null });
  // The same person again (a kiosk that reloaded, a studio opened in a second window): the new
  // connection wins, the old one is told and closed, and the studio hears of it.
  if (staleSession && staleSession !== session) {
    deps.notify.peer(stale!.id, 'replaced', {});
    leaveLecture(staleSession, deps, 'replaced', { keepRoom: true });
    staleSession.socket.disconnect(true);
  }
  lecture.join(participant);
  // Attendance counts while the lecture is not over (a kiosk left open after the end does not count).
  if (lecture.state !== 'ended') participant.attendanceId = store.recordJoin(attendanceOf(lectureId, participant)).id;
  session.claims = claims;
  session.room = room;
  session.participant = participant;
  sessions.set(participant.id, session);
  void session.socket.join(roomName(lectureId));
  if (stale && (role === 'site' || role === 'trainer')) {
    const trainer = lecture.trainer;
    if (trainer) deps.notify.peer(trainer.id, 'takenOver', { role, displayName });
  }

  return {
    status: 'joined',
    self: { ...participant.view(), identity },
    sessionToken,
    deviceToken,
    routerRtpCapabilities,
    lecture: lecture.view(),
    peers: lecture.participants.filter((p) => p !== participant).map((p) => p.view()),
    producers: room.media.producers(),
    hands: lecture.hands(),
    stage: lecture.stage(),
    invited: lecture.invitations(),
    chat: store.listChat(lectureId, CHAT_HISTORY).map(chatView),
    lobby: role === 'trainer' ? lecture.lobby() : [],
    removed: role === 'trainer' ? removalViews(store.listRemovals(lectureId)) : [],
  };
}

/** The attendance record a participant opens. */
export function attendanceOf(lectureId: string, p: Participant, joinedAt = p.joinedAt) {
  return { lectureId, identity: p.identity, role: p.role, name: p.displayName, site: p.site, joinedAt };
}

/** A person who came through the shared attendee link gets a personal identity (and token). */
function personalClaims(session: Session, displayName: string): Session['claims'] {
  const { claims } = session;
  if (claims.role !== 'attendee' || claims.identity !== SHARED_ATTENDEE_IDENTITY) return claims;
  return { ...claims, identity: newAttendeeIdentity(), name: displayName };
}

function leaveLobby(session: Session, deps: SignalingDeps): void {
  const { room, lobbyId } = session;
  session.lobbyId = undefined;
  if (!room || !lobbyId) return;
  deps.sessions.delete(lobbyId);
  void session.socket.leave(lobbyRoomName(room.lecture.id));
  room.lecture.leaveLobby(lobbyId);
}

/**
 * Closes everything the participant owns, writes down when it left and takes it out of the
 * lecture (or the lobby). Idempotent.
 */
export function leaveLecture(session: Session, deps: SignalingDeps, reason: string, opts: { keepRoom?: boolean } = {}): void {
  const { room, participant } = session;
  if (!room) return;
  leaveLobby(session, deps);
  session.room = undefined;
  session.participant = undefined;
  if (participant) {
    if (deps.sessions.get(participant.id) === session) deps.sessions.delete(participant.id);
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
