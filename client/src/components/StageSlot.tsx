import { useTranslation } from 'react-i18next';
import type { StageFeedView } from '../view/media.js';
import type { Size } from '../view/viewport.js';
import { VideoView } from './VideoView.js';

export interface StageSlotProps {
  /** The people who have the floor (oneself left out). */
  feeds: readonly StageFeedView[];
  onViewport?: (consumerId: string, size: Size) => void;
  className?: string;
}

/** Whoever has the floor, beside the trainer: one video each, with their name. Absent when nobody has it. */
export function StageSlot({ feeds, onViewport, className }: StageSlotProps) {
  const { t } = useTranslation();
  if (feeds.length === 0) return null;
  return (
    <div className={`stage-slot ${className ?? ''}`} data-testid="stage-slot">
      {feeds.map((feed) => {
        const camera = feed.camera;
        return (
          <figure key={feed.peerId} className="stage-slot__feed" data-peer={feed.peerId}>
            <VideoView
              key={camera?.consumerId ?? 'no-video'}
              track={camera?.track ?? null}
              testId="stage-video"
              className="stage-slot__video"
              {...(onViewport && camera ? { onViewport: (size: Size) => onViewport(camera.consumerId, size) } : {})}
            />
            <figcaption className="stage-slot__name">
              <span className="stage-slot__live" aria-hidden="true" />
              {feed.displayName}
              {feed.microphone?.paused && <span className="stage-slot__muted"> · {t('stage.muted')}</span>}
            </figcaption>
          </figure>
        );
      })}
    </div>
  );
}
