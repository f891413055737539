import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Maximize, Minimize, Volume1, Volume2, VolumeX } from 'lucide-react';
import type { Fullscreen, PlayerVolume } from '../hooks/usePlayer.js';

/** A square icon button that is on or off; its label says what pressing it does. */
function ToggleButton(props: {
  testId: string;
  className?: string;
  pressed: boolean;
  label: string;
  icon: ComponentType<{ 'aria-hidden'?: boolean | 'true' }>;
  onClick: () => void;
}) {
  const Icon = props.icon;
  return (
    <button
      type="button"
      className={`player-controls__button${props.className ? ` ${props.className}` : ''}`}
      data-testid={props.testId}
      aria-pressed={props.pressed}
      aria-label={props.label}
      title={props.label}
      onClick={props.onClick}
    >
      <Icon aria-hidden="true" />
    </button>
  );
}

/** Under the attendee's picture: sound on/off, a volume slider, full screen. */
export function PlayerControls({ volume, fullscreen }: { volume: PlayerVolume; fullscreen: Fullscreen }) {
  const { t } = useTranslation();
  const silent = volume.muted || volume.volume === 0;
  return (
    <div className="player-controls" data-testid="player-controls">
      <ToggleButton
        testId="mute-sound"
        pressed={volume.muted}
        label={t(volume.muted ? 'player.soundOn' : 'player.soundOff')}
        icon={silent ? VolumeX : volume.volume < 0.5 ? Volume1 : Volume2}
        onClick={volume.toggleMuted}
      />
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
      <ToggleButton
        testId="fullscreen"
        className="player-controls__fullscreen"
        pressed={fullscreen.active}
        label={t(fullscreen.active ? 'player.leaveFullscreen' : 'player.fullscreen')}
        icon={fullscreen.active ? Minimize : Maximize}
        onClick={fullscreen.toggle}
      />
    </div>
  );
}
