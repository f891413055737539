import { useTranslation } from 'react-i18next';
import { AudioSink } from '../components/AudioSink.js';
import { BigMessage } from '../components/BigMessage.js';
import { DevicePicker } from '../components/DevicePicker.js';
import { EndLectureButton } from '../components/EndLectureButton.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { FailureMessage } from '../components/FailureMessage.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { DroppedSitesAlert, NoticeBanner } from '../components/NoticeBanner.js';
import { RecBadge } from '../components/RecBadge.js';
import { ReconnectingBanner } from '../components/ReconnectingBanner.js';
import { StageSlot } from '../components/StageSlot.js';
import { StateBadge } from '../components/StateBadge.js';
import { StudioControls } from '../components/StudioControls.js';
import { StudioFeedPanel } from '../components/StudioFeedPanel.js';
import { StudioSide } from '../components/StudioSide.js';
import { VideoView } from '../components/VideoView.js';
import { useJoinToken } from '../hooks/useJoinToken.js';
import { useLectureId } from '../hooks/useLectureId.js';
import { useLectureActions, useLectureState } from '../hooks/useLecture.js';
import { LectureSessionProvider } from '../hooks/LectureSessionProvider.js';
import { StudioPreflight } from '../components/StudioPreflight.js';
import { useEffect } from 'react';
import { FEED_PEER_ID } from '@teleclass/shared/limits';
import { formatCounts } from '../view/counts.js';
import { recordingSince } from '../view/recBadge.js';
import { studioBar } from '../view/studio.js';
import { NoLinkMessage } from './NoLink.js';

/** The trainer's studio: devices and preview, go live, share, mute, end; hands, the floor, chat. */
export function Studio() {
  const lectureId = useLectureId();
  const { initial } = useJoinToken(lectureId);

  if (!lectureId || !initial) {
    return (
      <main className="studio">
        <NoLinkMessage valid={lectureId !== null} />
      </main>
    );
  }
  return (
    <LectureSessionProvider config={{ lectureId, role: 'trainer', token: initial.token }}>
      <StudioRoom lectureId={lectureId} />
    </LectureSessionProvider>
  );
}

/** The studio of a lecture whose session runs (under the provider). */
function StudioRoom({ lectureId }: { lectureId: string }) {
  const { t } = useTranslation();
  const state = useLectureState();
  const act = useLectureActions();
  const joined = state?.phase === 'joined';
  const feedCamera = state?.remote.camera?.peerId === FEED_PEER_ID ? state.remote.camera : null;
  const { loadStudioFeed } = act;
  useEffect(() => {
    if (joined) void loadStudioFeed();
  }, [joined, loadStudioFeed]);

  const lectureState = state?.lecture?.state;
  const ended = lectureState === 'ended';
  const failed = state?.phase === 'failed';
  const bar = studioBar(state);
  const counts = bar.counts;

  if (failed) {
    return (
      <main className="studio">
        <FailureMessage error={state?.error ?? null} fallback={t('errors.cannotOpenStudio')} />
      </main>
    );
  }

  return (
    <main className="studio">
      <header className="studio__bar">
        <h1 className="studio__title" data-testid="lecture-title-heading" title={state?.lecture?.title}>
          {state?.lecture?.title ?? t('studio.title')}
        </h1>
        {lectureState && <StateBadge state={lectureState} />}
        <RecBadge since={recordingSince(state?.lecture)} />
        <span className="studio__counts" data-testid="participant-count">
          {formatCounts(counts, t)}
        </span>
        <LanguageSwitch />
        <EndLectureButton
          disabled={!bar.canEnd}
          recording={bar.recording}
          sites={counts.sites}
          attendees={counts.attendees}
          onEnd={() => void act.endLecture()}
        />
      </header>
      <ErrorBanner error={state?.error ?? null} onDismiss={act.clearError} />
      <NoticeBanner notices={state?.notices ?? []} onDismiss={act.clearNotices} />
      <DroppedSitesAlert dropped={state?.droppedSites ?? []} />
      <ReconnectingBanner visible={state?.reconnecting ?? false} />
      <div className="studio__body">
        <section className="studio__main">
          {ended ? (
            <BigMessage title={t('studio.ended.title')} detail={t('studio.ended.detail')} />
          ) : (
            <>
              <div className={`studio__screens ${state?.remote.stage.length ? 'studio__screens--floor' : ''}`}>
                <div className="studio__preview">
                  <VideoView stream={state?.local.preview ?? null} testId="studio-preview" className="studio__preview-video" mirror />
                  {state?.publishing && <span className="studio__on-air">{t('studio.onAir')}</span>}
                  {state?.local.screen && (
                    <VideoView stream={state.local.screen} className="studio__screen-thumb" testId="studio-screen-preview" />
                  )}
                </div>
                <StageSlot
                  feeds={state?.remote.stage ?? []}
                  className="studio__floor"
                  onViewport={(id, size) => act.setViewport(id, size.width, size.height)}
                />
              </div>
              <div className="studio__devices">
                <DevicePicker
                  label={t('studio.camera')}
                  testId="camera-select"
                  options={state?.local.cameras ?? []}
                  value={state?.local.cameraId ?? null}
                  onChange={(id) => void act.setCamera(id)}
                />
                <DevicePicker
                  label={t('studio.microphone')}
                  testId="microphone-select"
                  options={state?.local.microphones ?? []}
                  value={state?.local.microphoneId ?? null}
                  onChange={(id) => void act.setMicrophone(id)}
                />
              </div>
              <StudioControls />
              {state && lectureState === 'waiting' && <StudioPreflight lectureId={lectureId} />}
              {state && (
                <StudioFeedPanel
                  studioFeed={state.studioFeed}
                  ingest={state.ingest}
                  feedTrack={feedCamera?.track ?? null}
                  onProgram={(program) => void act.setProgram(program)}
                  onMonitor={() => feedCamera && act.setViewport(feedCamera.consumerId, 1920, 1080)}
                />
              )}
            </>
          )}
        </section>
        <StudioSide />
      </div>
      {/* The studio does not play the feed's own sound back into the room. */}
      <AudioSink tracks={state?.remote.audio.filter((a) => a.peerId !== FEED_PEER_ID).map((a) => a.track) ?? []} />
    </main>
  );
}
