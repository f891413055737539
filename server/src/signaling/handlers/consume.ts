import type { Handler } from '../context.js';

export const consume: Handler<'consume'> = async ({ room, participant }, req) =>
  room.media.consume(participant.id, req.transportId, req.producerId);

export const resumeConsumer: Handler<'resumeConsumer'> = async ({ room, participant }, req) => {
  await room.media.setConsumerPaused(participant.id, req.consumerId, false);
  return {};
};

export const pauseConsumer: Handler<'pauseConsumer'> = async ({ room, participant }, req) => {
  await room.media.setConsumerPaused(participant.id, req.consumerId, true);
  return {};
};

export const closeConsumer: Handler<'closeConsumer'> = async ({ room, participant }, req) => {
  room.media.closeConsumer(participant.id, req.consumerId);
  return {};
};

export const setPreferredLayers: Handler<'setPreferredLayers'> = async ({ room, participant }, req) => {
  await room.media.setPreferredLayers(participant.id, req.consumerId, req.spatialLayer, req.temporalLayer);
  return {};
};

export const setViewport: Handler<'setViewport'> = async ({ room, participant }, req) => ({
  spatialLayer: await room.media.setViewport(participant.id, req.consumerId, req.height),
});
