import type { Handler } from '../context.js';

export const muteParticipant: Handler<'muteParticipant'> = async ({ room }, req) => {
  await room.mute(req.peerId);
  return {};
};

export const removeParticipant: Handler<'removeParticipant'> = async ({ room }, req) => {
  await room.remove(req.peerId);
  return {};
};

export const restoreParticipant: Handler<'restoreParticipant'> = async ({ room }, req) => {
  await room.restore(req.identity);
  return {};
};

export const setLocked: Handler<'setLocked'> = async ({ room }, req) => room.setLocked(req.locked);

export const admit: Handler<'admit'> = async ({ room }, req) => {
  room.admit(req.peerId);
  return {};
};
