/**
 * Which screen a viewer (site kiosk or attendee) sees, from the session's snapshot: a big message
 * while connecting, waiting in the lobby, waiting for the start or after the end; the sentence of
 * the error when the session cannot go on; the stage while the lecture is live — unless the
 * trainer is gone (their connection closed, or the server stopped receiving their media), which
 * is said plainly rather than shown as a frozen picture or a black box.
 */
import { FEED_PEER_ID } from '@teleclass/shared/limits';
import type { SessionState } from '../media/sessionState.js';

/** A screen and, for the big messages, the catalog key of its title (the error's own sentence for `error`). */
export type ViewerScreen =
  | { kind: 'connecting'; titleKey: 'viewer.connecting' }
  | { kind: 'error' }
  | { kind: 'lobby'; titleKey: 'viewer.lobby' }
  | { kind: 'waiting'; titleKey: 'viewer.waiting' }
  | { kind: 'ended'; titleKey: 'viewer.ended' }
  | { kind: 'trainer-gone'; titleKey: 'viewer.trainerGone' }
  | { kind: 'live'; hasVideo: boolean; feedInterrupted?: true };

type Input = Pick<SessionState, 'phase' | 'lecture' | 'remote' | 'peers' | 'stalledProducers'>;

export function viewerScreen({ phase, lecture, remote, peers, stalledProducers }: Input): ViewerScreen {
  if (phase === 'failed') return { kind: 'error' };
  if (lecture?.state === 'ended') return { kind: 'ended', titleKey: 'viewer.ended' };
  if (phase === 'lobby') return { kind: 'lobby', titleKey: 'viewer.lobby' };
  if (phase !== 'joined' || !lecture) return { kind: 'connecting', titleKey: 'viewer.connecting' };
  if (lecture.state === 'waiting') return { kind: 'waiting', titleKey: 'viewer.waiting' };
  if (trainerGone({ remote, peers, stalledProducers })) return { kind: 'trainer-gone', titleKey: 'viewer.trainerGone' };
  return {
    kind: 'live',
    hasVideo: remote.camera !== null || remote.screen !== null || remote.stage.length > 0,
    ...(feedInterrupted({ remote, stalledProducers }) && { feedInterrupted: true as const }),
  };
}

/** The studio feed is the picture on air and its media stopped reaching the server. */
export function feedInterrupted({ remote, stalledProducers }: Pick<SessionState, 'remote' | 'stalledProducers'>): boolean {
  const cam = remote.camera;
  return cam !== null && cam.peerId === FEED_PEER_ID && !cam.paused && stalledProducers.includes(cam.producerId);
}

/**
 * The trainer is not in the lecture any more, or everything of theirs that should flow (not
 * paused) has stopped reaching the server.
 */
export function trainerGone({ remote, peers, stalledProducers }: Pick<SessionState, 'remote' | 'peers' | 'stalledProducers'>): boolean {
  const trainer = peers.find((p) => p.role === 'trainer');
  // A studio feed on air is the trainer's picture and sound, with or without the studio page open.
  if (remote.camera?.peerId === FEED_PEER_ID && !remote.camera.paused) return false;
  if (!trainer) return true;
  const theirs = [remote.camera, remote.screen, ...remote.audio].filter((m) => m !== null && m.peerId === trainer.id && !m.paused);
  return theirs.length > 0 && theirs.every((m) => stalledProducers.includes(m!.producerId));
}

/** Raise hand is offered only while the lecture plays here: live, the trainer present, our media flowing. */
export function canRaiseHand(state: SessionState): boolean {
  return (
    state.connection === 'connected' &&
    !state.reconnecting &&
    !state.mediaStalled &&
    viewerScreen(state).kind === 'live' &&
    !state.stage.some((s) => s.peerId === state.self?.id)
  );
}

/** This attendee is invited to speak and has not answered yet. */
export const isInvited = (state: Pick<SessionState, 'invited' | 'self'>): boolean =>
  state.self !== null && state.invited.some((i) => i.peerId === state.self!.id);
