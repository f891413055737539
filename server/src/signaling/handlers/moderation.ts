import type { LectureView } from '@teleclass/shared';
import type { Handler } from '../context.js';

// In a cluster: run on the lecture's origin, which acts on the participant's own node (deps.rooms.forward).

export const muteParticipant: Handler<'muteParticipant'> = async ({ room }, req, { rooms }) => {
  await (rooms?.forward(room, { op: 'mute', peerId: req.peerId }) ?? room.mute(req.peerId));
  return {};
};

export const removeParticipant: Handler<'removeParticipant'> = async ({ room }, req, { rooms }) => {
  await (rooms?.forward(room, { op: 'remove', peerId: req.peerId }) ?? room.remove(req.peerId));
  return {};
};

export const restoreParticipant: Handler<'restoreParticipant'> = async ({ room }, req) => {
  await room.restore(req.identity);
  return {};
};

export const setLocked: Handler<'setLocked'> = async ({ room }, req, { rooms }) =>
  ((await rooms?.forward(room, { op: 'setLocked', locked: req.locked })) as LectureView | undefined) ?? room.setLocked(req.locked);

/** In a cluster the lobby is the origin's: someone waiting on another node is admitted there (deps.rooms.forward). */
export const admit: Handler<'admit'> = async ({ room }, req, { rooms }) => {
  await (rooms?.forward(room, { op: 'admit', peerId: req.peerId }) ?? room.admit(req.peerId));
  return {};
};
