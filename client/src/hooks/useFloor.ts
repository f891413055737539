/** The floor for a viewer page (classroom or attendee): its view, and raising, lowering and answering. */
import { viewerFloor, type ViewerFloor } from '../view/floor.js';
import { useLectureActions, useLectureState } from './useLecture.js';

export interface FloorControls extends ViewerFloor {
  /** Raises the hand, or lowers it when it is up. */
  toggleHand(): void;
  /** Accepts or declines an invitation to speak. */
  answer(accept: boolean): void;
  toggleMic(): void;
}

export function useFloor(): FloorControls {
  const actions = useLectureActions();
  const view = viewerFloor(useLectureState());
  return {
    ...view,
    toggleHand: () => void (view.raised ? actions.lowerHand() : actions.raiseHand()),
    answer: (accept) => void actions.answerFloor(accept),
    toggleMic: () => void actions.toggleMic(),
  };
}
