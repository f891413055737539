import { useTranslation } from 'react-i18next';
import { useEffect, useRef, useState } from 'react';
import type { IngestCredentials, Program, StudioFeedState } from '@teleclass/shared';
import { feedFigures, type MeasuredPicture } from '../view/feedFigures.js';
import { CopyButton } from './CopyButton.js';

export interface StudioFeedPanelProps {
  studioFeed: StudioFeedState | null;
  ingest: IngestCredentials | null;
  /** The feed's picture as the studio receives it (a monitor, and its size and rate). */
  feedTrack: MediaStreamTrack | null;
  onProgram: (program: Program) => void;
  /** Asks for the feed's top simulcast layer, so the figures are the encoder's, not a small layer's. */
  onMonitor?: () => void;
}

function Field({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="ingest__field">
      <span className="ingest__label">{label}</span>
      <code className="ingest__value" data-testid={testId}>
        {value}
      </code>
      <CopyButton text={value} testId={`${testId}-copy`} />
    </div>
  );
}

/** Size and frame rate of a playing <video>, measured once a second. */
function useMeasured(ref: React.RefObject<HTMLVideoElement | null>, track: MediaStreamTrack | null): MeasuredPicture | null {
  const [measured, setMeasured] = useState<MeasuredPicture | null>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video || !track) return setMeasured(null);
    video.srcObject = new MediaStream([track]);
    let last = video.getVideoPlaybackQuality().totalVideoFrames;
    const timer = setInterval(() => {
      const frames = video.getVideoPlaybackQuality().totalVideoFrames;
      setMeasured(video.videoWidth ? { width: video.videoWidth, height: video.videoHeight, fps: frames - last } : null);
      last = frames;
    }, 1000);
    return () => clearInterval(timer);
  }, [ref, track]);
  return measured;
}

/**
 * The studio feed: where OBS, vMix or a hardware encoder sends the program (copy buttons in the
 * order OBS asks), what is on air with live figures, an alert when the feed stops, and the one
 * click that puts the browser camera (or the feed) back on air.
 */
export function StudioFeedPanel({ studioFeed, ingest, feedTrack, onProgram, onMonitor }: StudioFeedPanelProps) {
  const { t } = useTranslation();
  const monitor = useRef<HTMLVideoElement | null>(null);
  const askTop = useRef(onMonitor);
  askTop.current = onMonitor;
  useEffect(() => {
    if (feedTrack) askTop.current?.(); // once per feed track, not on every render
  }, [feedTrack]);
  const measured = useMeasured(monitor, feedTrack);
  const feed = studioFeed?.feed ?? null;
  const onAir = studioFeed?.program === 'feed' && feed !== null;
  return (
    <section className="ingest" data-testid="studio-feed">
      <h2 className="ingest__title">{t('feed.title')}</h2>
      {feed ? (
        <div className={`ingest__status ingest__status--${feed.state}`}>
          {feedTrack && <video ref={monitor} className="ingest__monitor" data-testid="feed-monitor" autoPlay muted playsInline />}
          <p data-testid="feed-figures" data-on-air={onAir ? 'feed' : 'browser'}>
            {t(onAir ? 'feed.onAir' : 'feed.connected')}
            {feedFigures(feed, measured, t)}
          </p>
          {feed.state === 'interrupted' && (
            <p className="ingest__alert" role="alert" data-testid="feed-alert">
              {t('feed.alert')}
            </p>
          )}
          {onAir ? (
            <button type="button" className="button" data-testid="program-browser" onClick={() => onProgram('browser')}>
              {t('feed.useBrowser')}
            </button>
          ) : (
            <button type="button" className="button" data-testid="program-feed" onClick={() => onProgram('feed')}>
              {t('feed.putOnAir')}
            </button>
          )}
        </div>
      ) : (
        <p className="ingest__hint" data-testid="feed-none">
          {t('feed.none')}
        </p>
      )}
      {ingest && (
        <details className="ingest__credentials">
          <summary>{t('feed.settings')}</summary>
          <p className="ingest__hint">{t('feed.obs')}</p>
          <Field label={t('feed.server')} value={ingest.whip.url} testId="whip-url" />
          <Field label={t('feed.bearer')} value={ingest.whip.token} testId="whip-token" />
          <p className="ingest__hint">{t('feed.rtmp')}</p>
          <Field label={t('feed.server')} value={ingest.rtmp.url} testId="rtmp-url" />
          <Field label={t('feed.streamKey')} value={ingest.rtmp.streamKey} testId="rtmp-key" />
          {ingest.srt && <Field label={t('feed.srtUrl')} value={ingest.srt.url} testId="srt-url" />}
        </details>
      )}
    </section>
  );
}
