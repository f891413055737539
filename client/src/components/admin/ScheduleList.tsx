import type { AdminLecture } from '@teleclass/shared';
import { useT } from '../../i18n/useLanguage.js';
import { scheduleByDay } from '../../view/schedule.js';
import { formatDay, scheduleClock } from '../../view/time.js';

export interface ScheduleListProps {
  lectures: readonly AdminLecture[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

/** The schedule as a list by day (Baku time): each lecture's start, title, trainer, classrooms, state. */
export function ScheduleList({ lectures, selectedId, onSelect }: ScheduleListProps) {
  const { t, language } = useT();
  const days = scheduleByDay(lectures);
  if (days.length === 0) return <p className="panel__empty">{t('schedule.empty')}</p>;
  return (
    <div className="schedule" data-testid="lecture-list">
      {days.map((d) => (
        <section key={d.day} className="schedule__day" data-testid={`schedule-day-${d.day}`}>
          <h3 className="schedule__date">{formatDay(d.at, language)}</h3>
          <ul className="lecture-list">
            {d.lectures.map((l) => (
              <li key={l.id}>
                <button
                  type="button"
                  className={`lecture-list__item ${l.id === selectedId ? 'lecture-list__item--on' : ''}`}
                  data-testid={`lecture-${l.id}`}
                  aria-pressed={l.id === selectedId}
                  onClick={() => onSelect(l.id)}
                >
                  <span className="lecture-list__title">
                    <span className="schedule__time">{scheduleClock(l.scheduledStart, language, t)}</span> {l.title}
                  </span>
                  <span className="lecture-list__meta">
                    {l.trainerName} · {t('schedule.classrooms', { count: l.sites.length })}
                    {l.locked ? ` · ${t('schedule.locked')}` : ''}
                    {l.seriesId ? ` · ${t('schedule.series')}` : ''} ·{' '}
                    <span className={`lecture-list__state lecture-list__state--${l.state}`}>{t(`schedule.state.${l.state}`)}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
