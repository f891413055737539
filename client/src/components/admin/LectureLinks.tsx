import { useTranslation } from 'react-i18next';
import type { LectureWithLinks } from '@teleclass/shared';
import { currentLanguage } from '../../i18n/index.js';
import { formatDateTime } from '../../view/time.js';
import { CopyButton } from '../CopyButton.js';

/** Every join link of a lecture, each with Copy and Open. */
export function LectureLinks({ data }: { data: LectureWithLinks }) {
  const { t } = useTranslation();
  const { links } = data;
  return (
    <div className="links" data-testid="lecture-links">
      <LinkRow label={t('links.trainer')} hint={t('links.trainerHint')} url={links.trainer} id="trainer" />
      {links.sites.map((s) => (
        <LinkRow key={s.site} label={t('links.classroom', { name: s.site })} hint={t('links.classroomHint')} url={s.url} id={`site-${s.site}`} />
      ))}
      <LinkRow label={t('links.attendees')} hint={t('links.attendeesHint')} url={links.attendee} id="attendee" />
      {links.expiresAt && <p className="links__expiry">{t('links.until', { when: formatDateTime(links.expiresAt, currentLanguage()) })}</p>}
    </div>
  );
}

function LinkRow({ label, hint, url, id }: { label: string; hint: string; url: string; id: string }) {
  const { t } = useTranslation();
  return (
    <div className="links__row">
      <div className="links__label">
        <strong>{label}</strong>
        <span className="links__hint">{hint}</span>
      </div>
      <div className="links__value">
        <input readOnly value={url} data-testid={`link-${id}`} onFocus={(e) => e.target.select()} aria-label={t('links.linkOf', { label })} />
        <CopyButton text={url} testId={`copy-${id}`} />
        <a className="button button--small" href={url} target="_blank" rel="noreferrer" data-testid={`open-${id}`}>
          {t('links.open')}
        </a>
      </div>
    </div>
  );
}
