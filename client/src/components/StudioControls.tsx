import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import type { LectureSession } from '../media/LectureSession.js';
import type { SessionState } from '../media/sessionState.js';

/**
 * The studio's buttons. All are always there; those that do not apply now are disabled. End lecture
 * is not among them: it sits apart, in the studio's top bar (EndLectureButton).
 */
export function StudioControls({ session, state }: { session: LectureSession; state: SessionState }) {
  const { t } = useTranslation();
  const joined = state.phase === 'joined';
  const lectureState = state.lecture?.state;
  const canGoLive = joined && !state.busy && !state.publishing && lectureState !== 'ended';
  const goLiveLabel = t(state.publishing ? 'studio.onAir' : lectureState === 'live' ? 'studio.resume' : 'studio.goLive');
  const recording = state.lecture?.recordingSince != null;
  // One request at a time: a second click would only be refused (INVALID_STATE).
  const [recordPending, setRecordPending] = useState(false);
  const toggleRecording = () => {
    setRecordPending(true);
    void (recording ? session.stopRecording() : session.startRecording()).finally(() => setRecordPending(false));
  };

  return (
    <div className="studio__controls">
      <button
        type="button"
        className="button button--live"
        data-testid="go-live"
        disabled={!canGoLive}
        onClick={() => void session.goLive()}
      >
        {state.busy && !state.publishing ? t('studio.starting') : goLiveLabel}
      </button>
      <button
        type="button"
        className={`button ${state.micMuted ? 'button--warning' : ''}`}
        data-testid="mute-mic"
        aria-pressed={state.micMuted}
        disabled={!joined || lectureState === 'ended'}
        onClick={() => void session.toggleMic()}
      >
        {t(state.micMuted ? 'studio.unmute' : 'studio.mute')}
      </button>
      <button
        type="button"
        className="button"
        data-testid="share-screen"
        aria-pressed={state.sharing}
        disabled={!state.publishing || (state.busy && !state.sharing)}
        onClick={() => void (state.sharing ? session.stopScreenShare() : session.startScreenShare())}
      >
        {t(state.sharing ? 'studio.stopShare' : 'studio.share')}
      </button>
      <button
        type="button"
        className={`button ${recording ? 'button--warning' : ''}`}
        data-testid="record"
        aria-pressed={recording}
        disabled={!joined || lectureState !== 'live' || recordPending}
        onClick={toggleRecording}
      >
        {t(recording ? 'studio.stopRecord' : 'studio.record')}
      </button>
    </div>
  );
}
