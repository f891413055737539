import { TeleclassError } from '@teleclass/shared';
import type { Handler, SignalingDeps } from '../context.js';
import { removalViews } from '../views.js';
import { leaveLecture } from './session.js';

/** Pauses the participant's microphone on the server; they may unmute themselves while they have the floor. */
export const muteParticipant: Handler<'muteParticipant'> = async ({ room }, req, { notify }) => {
  room.lecture.other(req.peerId);
  const mic = room.media.producerOf(req.peerId, 'microphone');
  if (!mic) throw new TeleclassError('INVALID_STATE', 'That participant sends no sound.');
  await room.media.setProducerPaused(req.peerId, mic.id, true);
  notify.peer(req.peerId, 'mutedByTrainer', { producerId: mic.id });
  return {};
};

function tellTrainerRemovals(lectureId: string, deps: SignalingDeps): void {
  const trainer = deps.registry.get(lectureId)?.lecture.trainer;
  if (trainer) deps.notify.peer(trainer.id, 'removals', { removed: removalViews(deps.store.listRemovals(lectureId)) });
}

/**
 * Disconnects the participant and refuses, for this lecture, its identity and the browser it
 * came from (its device id) from now on.
 */
export const removeParticipant: Handler<'removeParticipant'> = async ({ room }, req, deps) => {
  const target = room.lecture.other(req.peerId);
  const session = deps.sessions.get(target.id);
  room.lecture.revokeAdmission(target.identity);
  deps.store.addRemoval(room.lecture.id, {
    identity: target.identity,
    deviceId: session?.deviceId ?? null,
    name: target.displayName,
    role: target.role,
  });
  deps.notify.peer(target.id, 'removed', { kind: 'removed', reason: 'The trainer removed you from the lecture.' });
  if (session) {
    leaveLecture(session, deps, 'removed');
    session.socket.disconnect(true);
  }
  tellTrainerRemovals(room.lecture.id, deps);
  return {};
};

/** Lets a removed person back in (their identity and their browser). */
export const restoreParticipant: Handler<'restoreParticipant'> = async ({ room }, req, deps) => {
  if (!deps.store.deleteRemoval(room.lecture.id, req.identity)) throw new TeleclassError('NOT_FOUND', 'Nobody with that identity was removed.');
  tellTrainerRemovals(room.lecture.id, deps);
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
