import { useSearchParams } from 'react-router';
import { BigMessage } from '../components/BigMessage.js';
import { DevicePicker } from '../components/DevicePicker.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { ParticipantList } from '../components/ParticipantList.js';
import { StateBadge } from '../components/StateBadge.js';
import { StudioControls } from '../components/StudioControls.js';
import { VideoView } from '../components/VideoView.js';
import { useLectureId } from '../hooks/useLectureId.js';
import { useLectureSession } from '../hooks/useLectureSession.js';
import { useSessionState } from '../hooks/useSessionState.js';
import { countByRole, formatCounts } from '../media/sessionState.js';
import { nameOr } from '../view/names.js';

/** The trainer's studio: devices and preview, then go live, share, mute, end. */
export function Studio() {
  const lectureId = useLectureId();
  const [params] = useSearchParams();
  const name = nameOr(params.get('name'), 'Trainer');
  const session = useLectureSession(lectureId ? { lectureId, role: 'trainer', displayName: name } : null);
  const state = useSessionState(session);

  if (!lectureId) {
    return (
      <main className="studio">
        <BigMessage title="This lecture address is not valid" />
      </main>
    );
  }

  const lectureState = state?.lecture?.state;
  const ended = lectureState === 'ended';
  const failed = state?.phase === 'failed';
  const counts = countByRole(state?.peers ?? []);

  return (
    <main className="studio">
      <header className="studio__bar">
        <h1 className="studio__title">Studio · {lectureId}</h1>
        {lectureState && <StateBadge state={lectureState} />}
        <span className="studio__counts" data-testid="participant-count">
          {formatCounts(counts)}
        </span>
      </header>
      <ErrorBanner error={failed ? null : (state?.error ?? null)} onDismiss={() => session?.clearError()} />
      <div className="studio__body">
        <section className="studio__main">
          {ended ? (
            <BigMessage title="The lecture has ended" detail="Everyone has been told. You can close this page." />
          ) : failed ? (
            <BigMessage title="Cannot open the studio" detail={state?.error?.message ?? ''} />
          ) : (
            <>
              <div className="studio__preview">
                <VideoView stream={state?.local.preview ?? null} testId="studio-preview" className="studio__preview-video" mirror />
                {state?.publishing && <span className="studio__on-air">On air</span>}
                {state?.local.screen && (
                  <VideoView stream={state.local.screen} className="studio__screen-thumb" testId="studio-screen-preview" />
                )}
              </div>
              <div className="studio__devices">
                <DevicePicker
                  label="Camera"
                  testId="camera-select"
                  options={state?.local.cameras ?? []}
                  value={state?.local.cameraId ?? null}
                  onChange={(id) => void session?.setCamera(id)}
                />
                <DevicePicker
                  label="Microphone"
                  testId="microphone-select"
                  options={state?.local.microphones ?? []}
                  value={state?.local.microphoneId ?? null}
                  onChange={(id) => void session?.setMicrophone(id)}
                />
              </div>
              {session && state && <StudioControls session={session} state={state} />}
            </>
          )}
        </section>
        <aside className="studio__side">
          <h2>Participants</h2>
          <ParticipantList peers={state?.peers ?? []} activeSpeakerId={state?.activeSpeakerId ?? null} />
        </aside>
      </div>
    </main>
  );
}
