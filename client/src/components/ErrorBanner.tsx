import { X } from 'lucide-react';
import type { SessionError } from '../media/errors.js';

export function ErrorBanner({ error, onDismiss }: { error: SessionError | null; onDismiss?: () => void }) {
  if (!error) return null;
  return (
    <div className="error-banner" role="alert" data-code={error.code}>
      <span>{error.message}</span>
      {onDismiss && (
        <button type="button" className="error-banner__close" onClick={onDismiss} aria-label="Dismiss">
          <X aria-hidden="true" />
        </button>
      )}
    </div>
  );
}
