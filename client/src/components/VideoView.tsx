import { useEffect, useMemo, useRef } from 'react';
import { shownSize, ViewportReporter, type Size } from '../view/viewport.js';

export interface VideoViewProps {
  /** A single track to show … */
  track?: MediaStreamTrack | null;
  /** … or a whole stream (the studio preview). */
  stream?: MediaStream | null;
  testId?: string;
  className?: string;
  /** Mirror the picture (a self view). */
  mirror?: boolean;
  /** Called with the shown size in device pixels: first at once, then on resizes (debounced). */
  onViewport?: (size: Size) => void;
}

/** How often a received picture is kept aside, to stand in when its track stops (a reconnect). */
const HOLD_FRAME_MS = 1_500;
/** How often a held track is checked for having ended. */
const CHECK_MS = 250;

/**
 * Keeps the last picture of a received track on screen rather than a black box: now and then the
 * current frame is copied into the poster; once the track has ended (its consumer closed while the
 * session reconnects) the video is emptied so the poster shows, until a new track replaces it.
 */
function useHoldLastFrame(ref: React.RefObject<HTMLVideoElement | null>, track: MediaStreamTrack | null) {
  useEffect(() => {
    const video = ref.current;
    if (!video || !track) return;
    const canvas = document.createElement('canvas');
    let poster: string | null = null;
    let busy = false;
    let tick = 0;
    const timer = setInterval(() => {
      if (track.readyState === 'ended') {
        if (video.srcObject && poster) video.srcObject = null;
        return;
      }
      if (tick++ % (HOLD_FRAME_MS / CHECK_MS) !== 0 || busy || video.videoWidth === 0 || video.paused) return;
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext('2d')?.drawImage(video, 0, 0);
      busy = true;
      canvas.toBlob(
        (blob) => {
          busy = false;
          if (!blob) return;
          if (poster) URL.revokeObjectURL(poster);
          poster = URL.createObjectURL(blob);
          video.poster = poster;
        },
        'image/jpeg',
        0.8,
      );
    }, CHECK_MS);
    return () => {
      clearInterval(timer);
      // The next track plays over it; the poster is dropped once that one has frames.
      const old = poster;
      if (old) setTimeout(() => URL.revokeObjectURL(old), HOLD_FRAME_MS * 4);
    };
  }, [ref, track]);
}

/** A <video> that always plays: muted, autoplay, inline. Sound goes through AudioSink. */
export function VideoView({ track, stream, testId, className, mirror, onViewport }: VideoViewProps) {
  const ref = useRef<HTMLVideoElement>(null);
  const media = useMemo(() => stream ?? (track ? new MediaStream([track]) : null), [stream, track]);
  const onViewportRef = useRef(onViewport);
  onViewportRef.current = onViewport;
  const reportsViewport = onViewport !== undefined;
  useHoldLastFrame(ref, track ?? null);

  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.muted = true;
    video.srcObject = media;
    // A muted video may always play; a rejection here is a swap of srcObject mid-play.
    if (media) video.play().catch(() => {});
  }, [media]);

  useEffect(() => {
    const video = ref.current;
    if (!video || !reportsViewport) return;
    const reporter = new ViewportReporter((size) => onViewportRef.current?.(size));
    const measure = () => {
      const intrinsic = video.videoWidth > 0 ? { width: video.videoWidth, height: video.videoHeight } : null;
      reporter.update(shownSize({ width: video.clientWidth, height: video.clientHeight }, intrinsic, window.devicePixelRatio));
    };
    const observer = new ResizeObserver(measure);
    observer.observe(video);
    // The picture's own size becomes known (or changes) after the first frames.
    video.addEventListener('resize', measure);
    measure();
    return () => {
      observer.disconnect();
      video.removeEventListener('resize', measure);
      reporter.dispose();
    };
  }, [reportsViewport]);

  const classes = ['video-view', mirror ? 'video-view--mirror' : '', className ?? ''].filter(Boolean).join(' ');
  return <video ref={ref} className={classes} data-testid={testId} autoPlay muted playsInline />;
}
