/**
 * The floor as a page shows it, from the session's snapshot: whether one is on stage, has a hand
 * up, may raise it or is invited (a viewer); whether the trainer may give the floor now and whose
 * microphone is heard (the studio).
 */
import { isHandRaised, isOnStage } from '../media/floor.js';
import type { SessionState } from '../media/sessionState.js';
import type { StageTracks } from './media.js';
import { canRaiseHand, isInvited } from './viewerScreen.js';

/** A viewer's (classroom's or attendee's) part in the floor. */
export interface ViewerFloor {
  /** Camera and microphone are sent: the ON AIR bar and the self view show. */
  onStage: boolean;
  /** The hand is up (the button lowers it). */
  raised: boolean;
  /** The raise-hand button is offered. */
  canRaise: boolean;
  /** Invited to speak and not answered yet (Accept / Decline). */
  invited: boolean;
  micMuted: boolean;
  mutedByTrainer: boolean;
}

export const NO_FLOOR: ViewerFloor = { onStage: false, raised: false, canRaise: false, invited: false, micMuted: false, mutedByTrainer: false };

export function viewerFloor(state: SessionState | null): ViewerFloor {
  if (!state) return NO_FLOOR;
  return {
    onStage: isOnStage(state),
    raised: isHandRaised(state),
    canRaise: canRaiseHand(state),
    invited: isInvited(state),
    micMuted: state.micMuted,
    mutedByTrainer: state.mutedByTrainer,
  };
}

/** Whether the trainer may give the floor now: only while live and fewer than the stage size have it or are invited. */
export type FloorOpening = 'open' | 'not-live' | 'full';

export function floorOpening(state: Pick<SessionState, 'phase' | 'lecture' | 'stage' | 'invited'>): FloorOpening {
  if (state.phase !== 'joined' || state.lecture?.state !== 'live') return 'not-live';
  return state.stage.length + state.invited.length >= state.lecture.stageSize ? 'full' : 'open';
}

/** Whether a peer's microphone is being received and not paused (the trainer may mute it). */
export function sendsSound(remote: Pick<StageTracks, 'stage'>, peerId: string): boolean {
  const mic = remote.stage.find((f) => f.peerId === peerId)?.microphone;
  return mic !== null && mic !== undefined && !mic.paused;
}
