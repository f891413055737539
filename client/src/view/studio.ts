/**
 * The studio's bar and buttons from the session's snapshot: which apply now, and what they say
 * (catalog keys). Pure, so every state of the buttons is unit-tested without a browser.
 */
import type { SessionState } from '../media/sessionState.js';
import { countByRole, type ParticipantCounts } from './counts.js';
import { recordingSince } from './recBadge.js';

export interface StudioButtons {
  goLive: { disabled: boolean; labelKey: 'studio.starting' | 'studio.onAir' | 'studio.resume' | 'studio.goLive' };
  mic: { disabled: boolean; muted: boolean };
  share: { disabled: boolean; sharing: boolean };
  /** The record button is also disabled while a start/stop request is under way (the component knows). */
  record: { disabled: boolean; recording: boolean };
}

type ButtonsInput = Pick<SessionState, 'phase' | 'lecture' | 'busy' | 'publishing' | 'micMuted' | 'sharing'>;

export function studioButtons(state: ButtonsInput): StudioButtons {
  const joined = state.phase === 'joined';
  const lectureState = state.lecture?.state;
  const recording = recordingSince(state.lecture) !== null;
  return {
    goLive: {
      disabled: !joined || state.busy || state.publishing || lectureState === 'ended',
      labelKey: state.busy && !state.publishing ? 'studio.starting' : state.publishing ? 'studio.onAir' : lectureState === 'live' ? 'studio.resume' : 'studio.goLive',
    },
    mic: { disabled: !joined || lectureState === 'ended', muted: state.micMuted },
    share: { disabled: !state.publishing || (state.busy && !state.sharing), sharing: state.sharing },
    record: { disabled: !joined || lectureState !== 'live', recording },
  };
}

export interface StudioBar {
  counts: ParticipantCounts;
  /** End lecture applies only while live and no other request is under way. */
  canEnd: boolean;
  recording: boolean;
}

export function studioBar(state: Pick<SessionState, 'phase' | 'lecture' | 'busy' | 'peers'> | null): StudioBar {
  return {
    counts: countByRole(state?.peers ?? []),
    canEnd: state?.phase === 'joined' && !state.busy && state.lecture?.state === 'live',
    recording: recordingSince(state?.lecture) !== null,
  };
}
