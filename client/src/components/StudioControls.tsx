import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { useLectureActions, useLectureState } from '../hooks/useLecture.js';
import { studioButtons } from '../view/studio.js';

/**
 * The studio's buttons. All are always there; those that do not apply now are disabled. End lecture
 * is not among them: it sits apart, in the studio's top bar (EndLectureButton).
 */
export function StudioControls() {
  const { t } = useTranslation();
  const state = useLectureState();
  const actions = useLectureActions();
  // One request at a time: a second click would only be refused (INVALID_STATE).
  const [recordPending, setRecordPending] = useState(false);
  if (!state) return null;
  const { goLive, mic, share, record } = studioButtons(state);
  const toggleRecording = () => {
    setRecordPending(true);
    void (record.recording ? actions.stopRecording() : actions.startRecording()).finally(() => setRecordPending(false));
  };

  return (
    <div className="studio__controls">
      <button type="button" className="button button--live" data-testid="go-live" disabled={goLive.disabled} onClick={() => void actions.goLive()}>
        {t(goLive.labelKey)}
      </button>
      <button
        type="button"
        className={`button ${mic.muted ? 'button--warning' : ''}`}
        data-testid="mute-mic"
        aria-pressed={mic.muted}
        disabled={mic.disabled}
        onClick={() => void actions.toggleMic()}
      >
        {t(mic.muted ? 'studio.unmute' : 'studio.mute')}
      </button>
      <button
        type="button"
        className="button"
        data-testid="share-screen"
        aria-pressed={share.sharing}
        disabled={share.disabled}
        onClick={() => void (share.sharing ? actions.stopScreenShare() : actions.startScreenShare())}
      >
        {t(share.sharing ? 'studio.stopShare' : 'studio.share')}
      </button>
      <button
        type="button"
        className={`button ${record.recording ? 'button--warning' : ''}`}
        data-testid="record"
        aria-pressed={record.recording}
        disabled={record.disabled || recordPending}
        onClick={toggleRecording}
      >
        {t(record.recording ? 'studio.stopRecord' : 'studio.record')}
      </button>
    </div>
  );
}
