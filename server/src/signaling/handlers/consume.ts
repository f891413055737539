import { joinTrace } from '../../lecture/joinTrace.js';
import { actor, type Handler } from '../context.js';

export const consume: Handler<'consume'> = async (s, req) => joinTrace(s.socket.id)('consume (server)', s.room.streams.consume(actor(s), req));

export const resumeConsumer: Handler<'resumeConsumer'> = async (s, req) => {
  await s.room.streams.setConsumerPaused(actor(s), req.consumerId, false);
  return {};
};

export const pauseConsumer: Handler<'pauseConsumer'> = async (s, req) => {
  await s.room.streams.setConsumerPaused(actor(s), req.consumerId, true);
  return {};
};

export const closeConsumer: Handler<'closeConsumer'> = async (s, req) => {
  s.room.streams.closeConsumer(actor(s), req.consumerId);
  return {};
};

export const setPreferredLayers: Handler<'setPreferredLayers'> = async (s, req) => {
  await s.room.streams.setPreferredLayers(actor(s), req.consumerId, req.spatialLayer, req.temporalLayer);
  return {};
};

export const setViewport: Handler<'setViewport'> = async (s, req) => ({
  spatialLayer: await s.room.streams.setViewport(actor(s), req.consumerId, req.height),
});
