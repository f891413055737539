import { useT } from '../../i18n/useLanguage.js';
import { CopyButton } from '../CopyButton.js';

/** The lecture's iCalendar feed (the whole series for a weekly course), to hand to attendees. */
export function CalendarLink({ url }: { url: string | undefined }) {
  const { t } = useT();
  if (!url) return null;
  return (
    <div className="links__row">
      <div className="links__label">
        <strong>{t('calendar.label')}</strong>
        <span className="links__hint">{t('calendar.hint')}</span>
      </div>
      <div className="links__value">
        <input readOnly value={url} data-testid="link-calendar" onFocus={(e) => e.target.select()} aria-label={t('calendar.label')} />
        <CopyButton text={url} testId="copy-calendar" label={t('network.copy')} />
      </div>
    </div>
  );
}
