import { useTranslation } from 'react-i18next';
import { Volume2 } from 'lucide-react';

/** The one thing on screen while the browser blocks sound: a button as large as the screen. */
export function EnableSoundOverlay({ onEnable }: { onEnable: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="enable-sound" data-testid="enable-sound" onClick={onEnable}>
      <Volume2 className="enable-sound__icon" aria-hidden="true" focusable="false" />
      {t('sound.enable')}
    </button>
  );
}
