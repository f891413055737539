import { TeleclassError } from '@teleclass/shared';
import type { Handler } from '../context.js';
import { leaveLecture } from './session.js';

/** Pauses the participant's microphone on the server; they may unmute themselves. */
export const muteParticipant: Handler<'muteParticipant'> = async ({ room }, req, { notify }) => {
  room.lecture.other(req.peerId);
  const mic = room.media.producerOf(req.peerId, 'microphone');
  if (!mic) throw new TeleclassError('INVALID_STATE', 'That participant sends no sound.');
  await mic.pause();
  notify.peer(req.peerId, 'mutedByTrainer', { producerId: mic.id });
  return {};
};

/** Disconnects the participant and refuses its identity for this lecture from now on. */
export const removeParticipant: Handler<'removeParticipant'> = async ({ room }, req, deps) => {
  const target = room.lecture.other(req.peerId);
  deps.store.addRemoval(room.lecture.id, target.identity);
  const session = deps.sessions.get(target.id);
  deps.notify.peer(target.id, 'removed', { reason: 'The trainer removed you from the lecture.' });
  if (session) {
    leaveLecture(session, deps, 'removed');
    session.socket.disconnect(true);
  }
  return {};
};

export const setLocked: Handler<'setLocked'> = async ({ room }, req, { notify }) => {
  const admitted = room.lecture.setLocked(req.locked);
  for (const lobbyId of admitted) notify.peer(lobbyId, 'admitted', {});
  return room.lecture.view();
};

export const admit: Handler<'admit'> = async ({ room }, req, { notify }) => {
  notify.peer(room.lecture.admit(req.peerId), 'admitted', {});
  return {};
};
