import { actor, type Handler } from '../context.js';

export const raiseHand: Handler<'raiseHand'> = async (s) => {
  s.room.raiseHand(actor(s));
  return {};
};

export const lowerHand: Handler<'lowerHand'> = async (s) => {
  s.room.lowerHand(actor(s));
  return {};
};

export const dismissHand: Handler<'dismissHand'> = async ({ room }, req) => {
  room.dismissHand(req.peerId);
  return {};
};

export const giveFloor: Handler<'giveFloor'> = async ({ room }, req) => {
  room.giveFloor(req.peerId);
  return {};
};

export const takeFloor: Handler<'takeFloor'> = async ({ room }, req) => {
  room.takeFloor(req.peerId);
  return {};
};

export const answerFloor: Handler<'answerFloor'> = async (s, req) => {
  s.room.answerFloor(actor(s), req.accept);
  return {};
};
