import type { TFunction } from 'i18next';
import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { DroppedSite, NoticeView } from '../view/media.js';

/** A sentence for each notice, in the reader's language. */
export function noticeText(notice: NoticeView, t: TFunction): string {
  if (notice.kind === 'floorDeclined') return t('notices.floorDeclined', { name: notice.displayName });
  if (notice.kind === 'recordingGap') return t('notices.recordingGap');
  if (notice.role === 'trainer') return t('notices.studioTakenOver');
  return t('notices.siteTakenOver', { name: notice.displayName });
}

/** The newest notice for the trainer, until dismissed. */
export function NoticeBanner({ notices, onDismiss }: { notices: readonly NoticeView[]; onDismiss: () => void }) {
  const { t } = useTranslation();
  const latest = notices[notices.length - 1];
  if (!latest) return null;
  return (
    <div className="error-banner error-banner--notice" role="status" data-testid="notice" data-kind={latest.kind}>
      <span>{noticeText(latest, t)}</span>
      <button type="button" className="error-banner__close" onClick={onDismiss} aria-label={t('common.dismiss')}>
        <X aria-hidden="true" />
      </button>
    </div>
  );
}

/** The classrooms that dropped out of the live lecture and are not back: a red alert until they return. */
export function DroppedSitesAlert({ dropped }: { dropped: readonly DroppedSite[] }) {
  const { t } = useTranslation();
  if (dropped.length === 0) return null;
  const names = dropped.map((d) => `“${d.name}”`).join(', ');
  return (
    <div className="error-banner error-banner--alert" role="alert" data-testid="site-dropped-alert">
      <span>{t('notices.siteDropped', { count: dropped.length, names })}</span>
    </div>
  );
}
