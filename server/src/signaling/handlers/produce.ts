import { TeleclassError } from '@teleclass/shared';
import { mayProduce } from '../../lecture/permissions.js';
import type { Handler } from '../context.js';
import { assertLive } from './session.js';

export const produce: Handler<'produce'> = async (session, req) => {
  const { room, participant } = session;
  if (!mayProduce(participant.role, room.lecture.onStage(participant.id), req.source)) {
    throw new TeleclassError('FORBIDDEN', 'You may send media only while you have the floor.');
  }
  assertLive(session);
  const producerId = await room.media.produce(participant.id, req);
  return { producerId };
};

export const pauseProducer: Handler<'pauseProducer'> = async ({ room, participant }, req) => {
  await room.media.setProducerPaused(participant.id, req.producerId, true);
  return {};
};

export const resumeProducer: Handler<'resumeProducer'> = async ({ room, participant }, req) => {
  await room.media.setProducerPaused(participant.id, req.producerId, false);
  return {};
};

export const closeProducer: Handler<'closeProducer'> = async ({ room, participant }, req) => {
  room.media.closeProducer(participant.id, req.producerId);
  return {};
};
