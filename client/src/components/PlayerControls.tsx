import { useTranslation } from 'react-i18next';
import { Maximize, Minimize, Volume1, Volume2, VolumeX } from 'lucide-react';
import type { Fullscreen, PlayerVolume } from '../hooks/usePlayer.js';

/** Under the attendee's picture: sound on/off, a volume slider, full screen. */
export function PlayerControls({ volume, fullscreen }: { volume: PlayerVolume; fullscreen: Fullscreen }) {
  const { t } = useTranslation();
  const silent = volume.muted || volume.volume === 0;
  const VolumeIcon = silent ? VolumeX : volume.volume < 0.5 ? Volume1 : Volume2;
  const FullscreenIcon = fullscreen.active ? Minimize : Maximize;
  return (
    <div className="player-controls" data-testid="player-controls">
      <button
        type="button"
        className="player-controls__button"
        data-testid="mute-sound"
        aria-pressed={volume.muted}
        aria-label={t(volume.muted ? 'player.soundOn' : 'player.soundOff')}
        title={t(volume.muted ? 'player.soundOn' : 'player.soundOff')}
        onClick={volume.toggleMuted}
      >
        <VolumeIcon aria-hidden="true" />
      </button>
      <input
        type="range"
        className="player-controls__volume"
        data-testid="volume"
        aria-label={t('player.volume')}
        min={0}
        max={100}
        step={5}
        value={Math.round((volume.muted ? 0 : volume.volume) * 100)}
        onChange={(event) => volume.setVolume(Number(event.target.value) / 100)}
      />
      <button
        type="button"
        className="player-controls__button player-controls__fullscreen"
        data-testid="fullscreen"
        aria-pressed={fullscreen.active}
        aria-label={t(fullscreen.active ? 'player.leaveFullscreen' : 'player.fullscreen')}
        title={t(fullscreen.active ? 'player.leaveFullscreen' : 'player.fullscreen')}
        onClick={fullscreen.toggle}
      >
        <FullscreenIcon aria-hidden="true" />
      </button>
    </div>
  );
}
