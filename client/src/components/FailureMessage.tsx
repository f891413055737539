import { useTranslation } from 'react-i18next';
import { errorDetail, errorText } from '../i18n/errors.js';
import type { ErrorView } from '../view/media.js';
import { BigMessage } from './BigMessage.js';

/** A session that cannot go on (a refused link, removed, opened elsewhere): the sentence, large. */
export function FailureMessage({ error, fallback }: { error: ErrorView | null; fallback: string }) {
  const { t } = useTranslation();
  const detail = errorDetail(t, error);
  return (
    <div className="failure" data-testid="session-failed" data-code={error?.code ?? ''}>
      <BigMessage title={error ? errorText(t, error) : fallback} {...(detail ? { detail } : {})} />
    </div>
  );
}
