import { useTranslation } from 'react-i18next';
import type { LectureState } from '@teleclass/shared';

/** The lecture state as a small badge; `data-state` is the state word (tests read it); the text is in the reader's language. */
export function StateBadge({ state }: { state: LectureState }) {
  const { t } = useTranslation();
  return (
    <span className={`state-badge state-badge--${state}`} data-testid="lecture-state" data-state={state}>
      {t(`state.${state}`)}
    </span>
  );
}
