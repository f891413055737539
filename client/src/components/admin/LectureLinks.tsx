import type { LectureWithLinks } from '../../admin/adminApi.js';
import { formatDateTime } from '../../view/time.js';
import { CopyButton } from '../CopyButton.js';

/** Every join link of a lecture, each with Copy and Open. */
export function LectureLinks({ data }: { data: LectureWithLinks }) {
  const { links } = data;
  return (
    <div className="links" data-testid="lecture-links">
      <LinkRow label="Trainer (studio)" hint="Only for the trainer." url={links.trainer} id="trainer" />
      {links.sites.map((s) => (
        <LinkRow key={s.site} label={`Classroom ${s.site}`} hint="Open on the classroom's kiosk." url={s.url} id={`site-${s.site}`} />
      ))}
      <LinkRow label="Online attendees" hint="One link for everyone watching online; each types a name." url={links.attendee} id="attendee" />
      {links.expiresAt && <p className="links__expiry">These links work until {formatDateTime(links.expiresAt)}.</p>}
    </div>
  );
}

function LinkRow({ label, hint, url, id }: { label: string; hint: string; url: string; id: string }) {
  return (
    <div className="links__row">
      <div className="links__label">
        <strong>{label}</strong>
        <span className="links__hint">{hint}</span>
      </div>
      <div className="links__value">
        <input readOnly value={url} data-testid={`link-${id}`} onFocus={(e) => e.target.select()} aria-label={`${label} link`} />
        <CopyButton text={url} testId={`copy-${id}`} />
        <a className="button button--small" href={url} target="_blank" rel="noreferrer" data-testid={`open-${id}`}>
          Open
        </a>
      </div>
    </div>
  );
}
