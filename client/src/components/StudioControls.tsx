import { useState } from 'react';
import type { LectureSession } from '../media/LectureSession.js';
import type { SessionState } from '../media/sessionState.js';

/**
 * The studio's buttons. All are always there; those that do not apply now are disabled. End lecture
 * is not among them: it sits apart, in the studio's top bar (EndLectureButton).
 */
export function StudioControls({ session, state }: { session: LectureSession; state: SessionState }) {
  const joined = state.phase === 'joined';
  const lectureState = state.lecture?.state;
  const canGoLive = joined && !state.busy && !state.publishing && lectureState !== 'ended';
  const goLiveLabel = state.publishing ? 'On air' : lectureState === 'live' ? 'Resume broadcast' : 'Go live';
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
        {state.busy && !state.publishing ? 'Starting…' : goLiveLabel}
      </button>
      <button
        type="button"
        className={`button ${state.micMuted ? 'button--warning' : ''}`}
        data-testid="mute-mic"
        aria-pressed={state.micMuted}
        disabled={!joined || lectureState === 'ended'}
        onClick={() => void session.toggleMic()}
      >
        {state.micMuted ? 'Unmute microphone' : 'Mute microphone'}
      </button>
      <button
        type="button"
        className="button"
        data-testid="share-screen"
        aria-pressed={state.sharing}
        disabled={!state.publishing || (state.busy && !state.sharing)}
        onClick={() => void (state.sharing ? session.stopScreenShare() : session.startScreenShare())}
      >
        {state.sharing ? 'Stop sharing' : 'Share screen'}
      </button>
      <button
        type="button"
        className={`button ${recording ? 'button--warning' : ''}`}
        data-testid="record"
        aria-pressed={recording}
        disabled={!joined || lectureState !== 'live' || recordPending}
        onClick={toggleRecording}
      >
        {recording ? 'Stop recording' : 'Record'}
      </button>
    </div>
  );
}
