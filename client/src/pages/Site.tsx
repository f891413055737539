import { useState } from 'react';
import { AudioSink } from '../components/AudioSink.js';
import { OnAirBar } from '../components/OnAirBar.js';
import { RecBadge } from '../components/RecBadge.js';
import { RaiseHandButton } from '../components/RaiseHandButton.js';
import { StateBadge } from '../components/StateBadge.js';
import { ViewerStage } from '../components/ViewerStage.js';
import { useJoinToken } from '../hooks/useJoinToken.js';
import { useLectureId } from '../hooks/useLectureId.js';
import { useLectureSession } from '../hooks/useLectureSession.js';
import { useReportPlayback } from '../hooks/useReportPlayback.js';
import { useSessionState } from '../hooks/useSessionState.js';
import { isHandRaised, isOnStage } from '../media/floor.js';
import { recordingSince } from '../view/recBadge.js';
import { canRaiseHand } from '../view/viewerScreen.js';
import { NoLinkMessage } from './NoLink.js';

/**
 * The classroom kiosk: unattended, the lecture full screen, sound on. One control: a big
 * raise-hand button for the touch screen. Given the floor, the classroom's camera and microphone
 * go on by themselves, under a red ON AIR bar; they go off when the trainer takes the floor back.
 * If the browser still blocks sound, the screen says "Enable sound" and the studio hears of it.
 */
export function Site() {
  const lectureId = useLectureId();
  const { initial } = useJoinToken(lectureId);
  const session = useLectureSession(lectureId && initial ? { lectureId, role: 'site', token: initial.token } : null);
  const state = useSessionState(session);
  const [soundBlocked, setSoundBlocked] = useState(false);
  useReportPlayback(session, state, soundBlocked);

  if (!lectureId || !initial) {
    return (
      <div className="kiosk">
        <NoLinkMessage valid={lectureId !== null} />
      </div>
    );
  }

  const onStage = state !== null && isOnStage(state);
  const raised = state !== null && isHandRaised(state);
  const live = state !== null && canRaiseHand(state);
  const name = state?.self?.site ?? state?.self?.displayName ?? '';

  return (
    <div className={`kiosk ${onStage ? 'kiosk--on-air' : ''}`}>
      <ViewerStage session={session} state={state} />
      {onStage && <OnAirBar text="ON AIR — everyone hears this classroom" mutedByTrainer={state?.mutedByTrainer ?? false} />}
      {state?.lecture && state.phase !== 'failed' && (
        <div className="kiosk__corner">
          <StateBadge state={state.lecture.state} />
          {name && <span className="kiosk__name">{name}</span>}
        </div>
      )}
      {state?.phase !== 'failed' && <RecBadge since={recordingSince(state?.lecture)} className="kiosk__rec" />}
      {live && !onStage && (
        <div className="kiosk__hand">
          <RaiseHandButton big raised={raised} onToggle={() => void (raised ? session?.lowerHand() : session?.raiseHand())} />
        </div>
      )}
      <AudioSink tracks={state?.remote.audio.map((a) => a.track) ?? []} onBlockedChange={setSoundBlocked} />
    </div>
  );
}
