import type { SessionNotice } from '../media/sessionState.js';

/** A sentence for each notice. */
export function noticeText(notice: SessionNotice): string {
  if (notice.kind === 'floorDeclined') return `${notice.displayName} declined the floor.`;
  if (notice.role === 'trainer') return 'The studio was also open in another window; that window was closed and this one is on air.';
  return `“${notice.displayName}” was opened in another window or on another PC; the first one was closed.`;
}

/** The newest notice for the trainer, until dismissed. */
export function NoticeBanner({ notices, onDismiss }: { notices: readonly SessionNotice[]; onDismiss: () => void }) {
  const latest = notices[notices.length - 1];
  if (!latest) return null;
  return (
    <div className="error-banner error-banner--notice" role="status" data-testid="notice" data-kind={latest.kind}>
      <span>{noticeText(latest)}</span>
      <button type="button" className="error-banner__close" onClick={onDismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}

/** The classrooms that dropped out of the live lecture and are not back: a red alert until they return. */
export function DroppedSitesAlert({ dropped }: { dropped: readonly { name: string; at: number }[] }) {
  if (dropped.length === 0) return null;
  const names = dropped.map((d) => `“${d.name}”`).join(', ');
  return (
    <div className="error-banner error-banner--alert" role="alert" data-testid="site-dropped-alert">
      <span>
        {dropped.length === 1 ? `Classroom ${names} lost its connection.` : `Classrooms ${names} lost their connection.`} Waiting for{' '}
        {dropped.length === 1 ? 'it' : 'them'} to come back.
      </span>
    </div>
  );
}
