import { actor, type Handler } from '../context.js';

// In a cluster each of these runs on the lecture's origin (deps.rooms.forward), else here.

export const raiseHand: Handler<'raiseHand'> = async (s, _req, { rooms }) => {
  await (rooms?.forward(s.room, { op: 'raiseHand', peerId: s.participant.id }) ?? s.room.raiseHand(actor(s)));
  return {};
};

export const lowerHand: Handler<'lowerHand'> = async (s, _req, { rooms }) => {
  await (rooms?.forward(s.room, { op: 'lowerHand', peerId: s.participant.id }) ?? s.room.lowerHand(actor(s)));
  return {};
};

export const dismissHand: Handler<'dismissHand'> = async ({ room }, req, { rooms }) => {
  await (rooms?.forward(room, { op: 'dismissHand', peerId: req.peerId }) ?? room.dismissHand(req.peerId));
  return {};
};

export const giveFloor: Handler<'giveFloor'> = async ({ room }, req, { rooms }) => {
  await (rooms?.forward(room, { op: 'giveFloor', peerId: req.peerId }) ?? room.giveFloor(req.peerId));
  return {};
};

export const takeFloor: Handler<'takeFloor'> = async ({ room }, req, { rooms }) => {
  await (rooms?.forward(room, { op: 'takeFloor', peerId: req.peerId }) ?? room.takeFloor(req.peerId));
  return {};
};

export const answerFloor: Handler<'answerFloor'> = async (s, req, { rooms }) => {
  await (rooms?.forward(s.room, { op: 'answerFloor', peerId: s.participant.id, accept: req.accept }) ?? s.room.answerFloor(actor(s), req.accept));
  return {};
};
