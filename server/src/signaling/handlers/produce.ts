import { actor, type Handler } from '../context.js';

/** The floor and the lecture's state are checked by the room before and after the media server answers. */
export const produce: Handler<'produce'> = async (s, req) => ({ producerId: await s.room.streams.produce(actor(s), req) });

export const pauseProducer: Handler<'pauseProducer'> = async (s, req) => {
  await s.room.streams.pauseProducer(actor(s), req.producerId);
  return {};
};

export const resumeProducer: Handler<'resumeProducer'> = async (s, req) => {
  await s.room.streams.resumeProducer(actor(s), req.producerId);
  return {};
};

export const closeProducer: Handler<'closeProducer'> = async (s, req) => {
  s.room.streams.closeProducer(actor(s), req.producerId);
  return {};
};
