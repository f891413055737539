import type { Handler } from '../context.js';

export const raiseHand: Handler<'raiseHand'> = async ({ room, participant }) => {
  room.lecture.raiseHand(participant.id);
  return {};
};

export const lowerHand: Handler<'lowerHand'> = async ({ room, participant }) => {
  room.lecture.lowerHand(participant.id);
  return {};
};

export const dismissHand: Handler<'dismissHand'> = async ({ room }, req) => {
  room.lecture.other(req.peerId);
  room.lecture.lowerHand(req.peerId);
  return {};
};

/**
 * A classroom learns it has the floor from the `stage` notification, then sends; an attendee is
 * invited first (`invitations`) and answers with `answerFloor`.
 */
export const giveFloor: Handler<'giveFloor'> = async ({ room }, req) => {
  room.lecture.giveFloor(req.peerId);
  return {};
};

/** Its camera and microphone are closed on the server (see the `stageleft` wiring). */
export const takeFloor: Handler<'takeFloor'> = async ({ room }, req) => {
  room.lecture.takeFloor(req.peerId);
  return {};
};

export const answerFloor: Handler<'answerFloor'> = async ({ room, participant }, req) => {
  room.lecture.answerFloor(participant.id, req.accept);
  return {};
};
