import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../i18n/errors.js';
import type { ErrorView } from '../view/media.js';

export function ErrorBanner({ error, onDismiss }: { error: ErrorView | null; onDismiss?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div className="error-banner" role="alert" data-code={error.code}>
      <span>{errorText(t, error)}</span>
      {onDismiss && (
        <button type="button" className="error-banner__close" onClick={onDismiss} aria-label={t('common.dismiss')}>
          <X aria-hidden="true" />
        </button>
      )}
    </div>
  );
}
