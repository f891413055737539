import type { Handler } from '../context.js';
import { assertLive } from './session.js';

export const produce: Handler<'produce'> = async (session, req) => {
  assertLive(session);
  const producerId = await session.room.media.produce(session.participant.id, req);
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
