import type { SessionNotice } from '../media/sessionState.js';

/** A sentence for each notice. */
export function noticeText(notice: SessionNotice): string {
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
