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

/** A <video> that always plays: muted, autoplay, inline. Sound goes through AudioSink. */
export function VideoView({ track, stream, testId, className, mirror, onViewport }: VideoViewProps) {
  const ref = useRef<HTMLVideoElement>(null);
  const media = useMemo(() => stream ?? (track ? new MediaStream([track]) : null), [stream, track]);
  const onViewportRef = useRef(onViewport);
  onViewportRef.current = onViewport;
  const reportsViewport = onViewport !== undefined;

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
