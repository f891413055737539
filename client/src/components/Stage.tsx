import type { ReactNode } from 'react';
import type { StageTracks } from '../view/media.js';
import { stageLayout } from '../view/stageLayout.js';
import type { Size } from '../view/viewport.js';
import { StageSlot } from './StageSlot.js';
import { VideoView } from './VideoView.js';

export interface StageProps {
  remote: StageTracks;
  /** The shown size of a received video, for the server's layer choice. */
  onViewport: (consumerId: string, size: Size) => void;
  /** Shown when there is no picture at all. */
  empty?: ReactNode;
}

/**
 * The trainer large; while slides are shared, the slides large and the trainer in a corner;
 * whoever has the floor in a column beside. Each video is keyed by its consumer, so a layout
 * change moves it without re-attaching it.
 */
export function Stage({ remote, onViewport, empty }: StageProps) {
  const layout = stageLayout(remote);
  const { camera, screen } = remote;
  const floor = remote.stage.length > 0;
  return (
    <div className={`stage stage--${layout.main ?? 'empty'} ${floor ? 'stage--with-floor' : ''}`}>
      <div className="stage__area">
        {screen && (
          <VideoView
            key={screen.consumerId}
            track={screen.track}
            testId="slides-video"
            className="stage__main"
            onViewport={(size) => onViewport(screen.consumerId, size)}
          />
        )}
        {camera && (
          <VideoView
            key={camera.consumerId}
            track={camera.track}
            testId="lecture-video"
            className={layout.pip === 'camera' ? 'stage__pip' : 'stage__main'}
            onViewport={(size) => onViewport(camera.consumerId, size)}
          />
        )}
        {layout.main === null && empty}
      </div>
      <StageSlot feeds={remote.stage} onViewport={onViewport} className="stage__floor" />
    </div>
  );
}
