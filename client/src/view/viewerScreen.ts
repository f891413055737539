/**
 * Which screen a viewer (site kiosk or attendee) sees, from the session's snapshot: a big message
 * while connecting, waiting in the lobby, waiting for the start or after the end; the sentence of
 * the error when the session cannot go on; the stage while the lecture is live.
 */
import type { SessionState } from '../media/sessionState.js';

export type ViewerScreen =
  | { kind: 'connecting'; title: string }
  | { kind: 'error'; title: string; detail: string }
  | { kind: 'lobby'; title: string }
  | { kind: 'waiting'; title: string }
  | { kind: 'ended'; title: string }
  | { kind: 'live'; hasVideo: boolean };

type Input = Pick<SessionState, 'phase' | 'lecture' | 'error' | 'remote'>;

export function viewerScreen({ phase, lecture, error, remote }: Input): ViewerScreen {
  if (phase === 'failed') {
    return { kind: 'error', title: error?.message ?? 'Cannot join the lecture', detail: error?.detail ?? '' };
  }
  if (lecture?.state === 'ended') return { kind: 'ended', title: 'The lecture has ended' };
  if (phase === 'lobby') return { kind: 'lobby', title: 'Waiting for the trainer to let you in' };
  if (phase !== 'joined' || !lecture) return { kind: 'connecting', title: 'Connecting to the lecture…' };
  if (lecture.state === 'waiting') return { kind: 'waiting', title: 'Waiting for the lecture to start' };
  return { kind: 'live', hasVideo: remote.camera !== null || remote.screen !== null || remote.stage.length > 0 };
}
