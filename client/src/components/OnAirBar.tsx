import { useTranslation } from 'react-i18next';
/** The tally while one's camera and microphone go to everyone: impossible to miss. */
export function OnAirBar({ text, mutedByTrainer }: { text: string; mutedByTrainer?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="on-air" data-testid="on-air" role="status">
      <span className="on-air__dot" aria-hidden="true" />
      <span className="on-air__text">{text}</span>
      {mutedByTrainer && <span className="on-air__muted">{t('onAir.mutedByTrainer')}</span>}
    </div>
  );
}
