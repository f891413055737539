import { useTranslation } from 'react-i18next';
import { BigMessage } from '../components/BigMessage.js';
import { FailureMessage } from '../components/FailureMessage.js';

/** A lecture page opened without a usable link: nothing to connect with. */
export function NoLinkMessage({ valid }: { valid: boolean }) {
  const { t } = useTranslation();
  if (!valid) return <BigMessage title={t('errors.invalidAddress')} />;
  return <FailureMessage error={{ code: 'UNAUTHORIZED', message: t('errors.UNAUTHORIZED'), detailKey: 'errors.detail.noLink' }} fallback="" />;
}
