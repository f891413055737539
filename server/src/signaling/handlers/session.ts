import { TeleclassError } from '@teleclass/shared';
import { Participant } from '../../lecture/Participant.js';
import type { Handler, JoinedSession, Session, SignalingDeps } from '../context.js';
import { roomName } from '../context.js';

export const join: Handler<'join'> = async (session, req, { registry }) => {
  const room = registry.getOrCreate(req.lectureId);
  const participant = new Participant(req.role, req.displayName);
  try {
    room.lecture.join(participant);
  } catch (error) {
    registry.releaseIfEmpty(req.lectureId);
    throw error;
  }
  session.room = room;
  session.participant = participant;
  await session.socket.join(roomName(room.lecture.id));
  const routerRtpCapabilities = await room.media.rtpCapabilities();
  return {
    self: participant.view(),
    routerRtpCapabilities,
    lecture: room.lecture.view(),
    peers: room.lecture.participants.filter((p) => p !== participant).map((p) => p.view()),
    producers: room.media.producers(),
  };
};

/** Closes everything the participant owns and takes it out of the lecture. Idempotent. */
export function leaveLecture(session: Session, { registry }: SignalingDeps): void {
  const { room, participant } = session;
  if (!room || !participant) return;
  session.room = undefined;
  session.participant = undefined;
  void session.socket.leave(roomName(room.lecture.id));
  room.media.closePeer(participant.id);
  room.lecture.leave(participant.id);
  registry.releaseIfEmpty(room.lecture.id);
}

export const leave: Handler<'leave'> = async (session, _req, deps) => {
  leaveLecture(session as JoinedSession, deps);
  return {};
};

export function assertLive(session: JoinedSession): void {
  if (session.room.lecture.state === 'ended') throw new TeleclassError('LECTURE_ENDED');
  if (session.room.lecture.state !== 'live') throw new TeleclassError('LECTURE_NOT_LIVE');
}
