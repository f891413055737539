import { useTranslation } from 'react-i18next';
/**
 * "Reconnecting…": shown while the session brings a lost connection or lost media back by itself
 * (kiosks are unattended: nothing to click). Gone once media flows again.
 */
export function ReconnectingBanner({ visible }: { visible: boolean }) {
  const { t } = useTranslation();
  if (!visible) return null;
  return (
    <div className="connection-lost" role="status" aria-live="polite" data-testid="reconnecting">
      <span className="connection-lost__spinner" aria-hidden="true" />
      {t('viewer.reconnecting')}
    </div>
  );
}
