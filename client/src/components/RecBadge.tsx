import { useTranslation } from 'react-i18next';
import { useNow } from '../hooks/useNow.js';
import { recElapsed } from '../view/clock.js';

/** The red REC badge with the running time, shown on every page while the lecture is recorded. */
export function RecBadge({ since, className = '' }: { since: number | null | undefined; className?: string }) {
  if (since === null || since === undefined) return null;
  return <RunningRecBadge since={since} className={className} />;
}

function RunningRecBadge({ since, className }: { since: number; className: string }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const elapsed = recElapsed(since, now);
  return (
    <span className={`rec-badge ${className}`} data-testid="rec-badge" role="status" aria-label={t('rec.label', { elapsed })} title={t('rec.title')}>
      <span className="rec-badge__dot" aria-hidden="true" />
      {t('rec.badge', { elapsed })}
    </span>
  );
}
