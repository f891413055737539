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
      <h2 className="ingest__title">Studio feed</h2>
      {feed ? (
        <div className={`ingest__status ingest__status--${feed.state}`}>
          {feedTrack && <video ref={monitor} className="ingest__monitor" data-testid="feed-monitor" autoPlay muted playsInline />}
          <p data-testid="feed-figures" data-on-air={onAir ? 'feed' : 'browser'}>
            {onAir ? 'On air: ' : 'Connected, not on air: '}
            {feedFigures(feed, measured)}
          </p>
          {feed.state === 'interrupted' && (
            <p className="ingest__alert" role="alert" data-testid="feed-alert">
              The studio feed was interrupted: viewers see its last frame. It comes back by itself when the encoder reconnects.
            </p>
          )}
          {onAir ? (
            <button type="button" className="button" data-testid="program-browser" onClick={() => onProgram('browser')}>
              Use the browser camera
            </button>
          ) : (
            <button type="button" className="button" data-testid="program-feed" onClick={() => onProgram('feed')}>
              Put the studio feed on air
            </button>
          )}
        </div>
      ) : (
        <p className="ingest__hint" data-testid="feed-none">
          No studio feed. The browser camera is on air.
        </p>
      )}
      {ingest && (
        <details className="ingest__credentials">
          <summary>Encoder settings (OBS, vMix, hardware encoders)</summary>
          <p className="ingest__hint">OBS: Settings → Stream → Service “WHIP”</p>
          <Field label="Server" value={ingest.whip.url} testId="whip-url" />
          <Field label="Bearer Token" value={ingest.whip.token} testId="whip-token" />
          <p className="ingest__hint">RTMP (vMix, hardware encoders): Service “Custom”</p>
          <Field label="Server" value={ingest.rtmp.url} testId="rtmp-url" />
          <Field label="Stream Key" value={ingest.rtmp.streamKey} testId="rtmp-key" />
          {ingest.srt && <Field label="SRT URL" value={ingest.srt.url} testId="srt-url" />}
        </details>
      )}
    </section>
  );
}
