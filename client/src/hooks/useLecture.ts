/**
 * The lecture session below a LectureSessionProvider, for components: its snapshot (re-rendering
 * on every change, through useSyncExternalStore) and its actions as plain callbacks. Without a
 * session yet the snapshot is null and every action does nothing.
 */
import { useMemo, useSyncExternalStore } from 'react';
import type { LectureSession } from '../media/LectureSession.js';
import type { SessionState } from '../media/sessionState.js';
import { useSessionHandle } from './LectureSessionProvider.js';

const noSubscription = () => () => {};
const nothing = () => null;

/** The session's current snapshot (null without a session). */
export function useLectureState(): SessionState | null {
  const session = useSessionHandle();
  return useSyncExternalStore(session?.subscribe ?? noSubscription, session?.getSnapshot ?? nothing);
}

const ACTIONS = [
  'startPreview', 'setCamera', 'setMicrophone', 'goLive', 'endLecture', 'startScreenShare', 'stopScreenShare',
  'raiseHand', 'lowerHand', 'giveFloor', 'takeFloor', 'answerFloor', 'dismissHand', 'muteParticipant',
  'removeParticipant', 'restoreParticipant', 'setLocked', 'admit', 'sendChat', 'markAnswered', 'getAttendance',
  'startRecording', 'stopRecording', 'reportPlayback', 'reportQuality', 'reportPreflight', 'loadStudioFeed', 'setProgram',
  'toggleMic', 'setViewport', 'clearError', 'clearNotices', 'recvStats', 'sendStats', 'setAudioSlidesOnly',
] as const;

type ActionName = (typeof ACTIONS)[number];

/** What a page may ask of the lecture: each a callback that never rejects (failures land in `state.error`). */
export type LectureActions = { readonly [K in ActionName]: LectureSession[K] };

/** The actions of the session; stable while the session is the same. */
export function useLectureActions(): LectureActions {
  const session = useSessionHandle();
  return useMemo(() => bindActions(session), [session]);
}

function bindActions(session: LectureSession | null): LectureActions {
  const entries = ACTIONS.map((name) => {
    if (!session) return [name, noAction(name)];
    const method = session[name] as (...args: unknown[]) => unknown;
    return [name, (...args: unknown[]) => method.apply(session, args)];
  });
  return Object.freeze(Object.fromEntries(entries)) as LectureActions;
}

/** Before the session exists: nothing to do; what answers a value answers an empty one. */
function noAction(name: ActionName): (...args: unknown[]) => unknown {
  if (name === 'sendChat') return () => Promise.resolve(false);
  if (name === 'recvStats' || name === 'sendStats') return () => Promise.resolve([]);
  if (name === 'getAttendance') return () => Promise.resolve(null);
  if (name === 'setViewport' || name === 'clearError' || name === 'clearNotices') return () => undefined;
  return () => Promise.resolve();
}
