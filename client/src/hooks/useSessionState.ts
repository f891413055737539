import { useSyncExternalStore } from 'react';
import type { LectureSession } from '../media/LectureSession.js';
import type { SessionState } from '../media/sessionState.js';

const noSubscription = () => () => {};
const nothing = () => null;

/** The session's current snapshot (null without a session); re-renders on every change. */
export function useSessionState(session: LectureSession | null): SessionState | null {
  return useSyncExternalStore(session?.subscribe ?? noSubscription, session?.getSnapshot ?? nothing);
}
