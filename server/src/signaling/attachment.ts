import type { LectureRoom } from '../lecture/LectureRoom.js';
import type { Attachment } from '../lecture/ports.js';
import { lobbyRoomName, roomName, type Session, type SignalingDeps } from './context.js';

/**
 * A socket as the room sees it (lecture/ports.ts): the room tells it when it speaks for a
 * participant, waits in the lobby, or is let go; the session keeps the socket.io side in step
 * (the socket's rooms, the peer id → session map that notifications go through).
 */
export function socketAttachment(session: Session, deps: SignalingDeps): Attachment {
  return {
    get closed() {
      return session.closed;
    },
    get deviceId() {
      return session.deviceId;
    },
    entered(room: LectureRoom, participant) {
      session.room = room;
      session.participant = participant;
      deps.sessions.set(participant.id, session);
      void session.socket.join(roomName(room.id));
    },
    enteredLobby(room: LectureRoom, lobbyId) {
      session.room = room;
      session.lobbyId = lobbyId;
      deps.sessions.set(lobbyId, session);
      void session.socket.join(lobbyRoomName(room.id));
    },
    leftLobby() {
      leaveLobbyRoom(session, deps);
    },
    letGo() {
      unbind(session, deps);
      session.socket.disconnect(true);
    },
  };
}

function leaveLobbyRoom(session: Session, deps: SignalingDeps): void {
  const { room, lobbyId } = session;
  session.lobbyId = undefined;
  if (!room || !lobbyId) return;
  deps.sessions.delete(lobbyId);
  void session.socket.leave(lobbyRoomName(room.id));
}

/** The socket.io side of a session forgets its room: what it was bound to is the answer. */
function unbind(session: Session, deps: SignalingDeps): Pick<Session, 'room' | 'participant' | 'lobbyId'> {
  const bound = { room: session.room, participant: session.participant, lobbyId: session.lobbyId };
  leaveLobbyRoom(session, deps);
  session.room = undefined;
  session.participant = undefined;
  const { room, participant } = bound;
  if (room && participant) {
    if (deps.sessions.get(participant.id) === session) deps.sessions.delete(participant.id);
    void session.socket.leave(roomName(room.id));
  }
  return bound;
}

/**
 * The session's participant leaves (or its lobby place goes): first the socket detaches from the
 * participant, then the participant leaves the room (its media, the lecture, its attendance).
 * Two steps so a later session resume can stop after the first. Idempotent.
 */
export function leaveLecture(session: Session, deps: SignalingDeps, reason: string, opts: { keepRoom?: boolean } = {}): void {
  const { room, participant, lobbyId } = unbind(session, deps);
  if (!room) return;
  if (lobbyId) room.leaveLobby(lobbyId);
  if (participant) {
    deps.resumes.forget(participant.id);
    room.detach(participant.id, session.via);
    room.leave(participant.id, reason);
  }
  if (!opts.keepRoom) deps.registry.releaseIfEmpty(room.id);
}

/**
 * The session's socket was lost to the network: the socket detaches from the participant, which
 * stays (its media, floor, hand, attendance) for the resume grace period (lecture/resume.ts); a
 * lobby place goes at once.
 */
export function holdForResume(session: Session, deps: SignalingDeps): void {
  const { room, participant, lobbyId } = unbind(session, deps);
  if (!room) return;
  if (lobbyId) room.leaveLobby(lobbyId);
  if (participant) deps.resumes.hold(room, participant, session.via);
  else deps.registry.releaseIfEmpty(room.id);
}
