import { TeleclassError, type MediaSource } from '@teleclass/shared';
import { mayProduce } from '../../lecture/permissions.js';
import type { Handler, JoinedSession } from '../context.js';
import { assertLive } from './session.js';

/**
 * The rule for sending `source`, checked before mediasoup is asked and again once it answered
 * (the floor may have been taken back, the lecture ended or the participant left meanwhile).
 */
function maySend(session: JoinedSession, source: MediaSource): () => void {
  const { room, participant } = session;
  return () => {
    if (session.closed || session.participant !== participant) throw new TeleclassError('NOT_FOUND', 'You have left.');
    if (!mayProduce(participant.role, room.lecture.onStage(participant.id), source)) {
      throw new TeleclassError('FORBIDDEN', 'You may send media only while you have the floor.');
    }
    assertLive(session);
  };
}

export const produce: Handler<'produce'> = async (session, req) => {
  const check = maySend(session, req.source);
  check();
  const producerId = await session.room.media.produce(session.participant.id, req, check);
  return { producerId };
};

export const pauseProducer: Handler<'pauseProducer'> = async ({ room, participant }, req) => {
  await room.media.setProducerPaused(participant.id, req.producerId, true);
  return {};
};

/** Unmuting, too, needs the floor (a participant the trainer muted cannot speak once it lost it). */
export const resumeProducer: Handler<'resumeProducer'> = async (session, req) => {
  const { room, participant } = session;
  const source = room.media.producers().find((p) => p.id === req.producerId && p.peerId === participant.id)?.source;
  if (!source) throw new TeleclassError('NOT_FOUND', `No producer ${req.producerId} of yours.`);
  const check = maySend(session, source);
  check();
  await room.media.setProducerPaused(participant.id, req.producerId, false, check);
  return {};
};

export const closeProducer: Handler<'closeProducer'> = async ({ room, participant }, req) => {
  room.media.closeProducer(participant.id, req.producerId);
  return {};
};
