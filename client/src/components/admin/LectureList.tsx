import { useTranslation } from 'react-i18next';
import type { AdminLecture } from '../../admin/adminApi.js';
import { LOCALES } from '../../i18n/format.js';
import { currentLanguage } from '../../i18n/index.js';
import { formatDateTime } from '../../view/time.js';

export interface LectureListProps {
  lectures: readonly AdminLecture[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

/** The lectures, soonest start first. */
export function LectureList({ lectures, selectedId, onSelect }: LectureListProps) {
  const { t } = useTranslation();
  const sorted = [...lectures].sort((a, b) => a.scheduledStart.localeCompare(b.scheduledStart));
  if (sorted.length === 0) return <p className="panel__empty">{t('list.none')}</p>;
  return (
    <ul className="lecture-list" data-testid="lecture-list">
      {sorted.map((l) => (
        <li key={l.id}>
          <button
            type="button"
            className={`lecture-list__item ${l.id === selectedId ? 'lecture-list__item--on' : ''}`}
            data-testid={`lecture-${l.id}`}
            aria-pressed={l.id === selectedId}
            onClick={() => onSelect(l.id)}
          >
            <span className="lecture-list__title">{l.title}</span>
            <span className="lecture-list__meta">
              {formatDateTime(l.scheduledStart, LOCALES[currentLanguage()])} · {l.trainerName} · {t('counts.sites', { count: l.sites.length })}
              {l.locked ? ` · ${t('list.locked')}` : ''} · <span className={`lecture-list__state lecture-list__state--${l.state}`}>{t(`state.${l.state}`)}</span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
