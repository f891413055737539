import { useT } from '../../i18n/useLanguage.js';
import { WEEKDAYS, type Weekday } from '../../view/recurrence.js';
import { weekdayNames } from '../../view/time.js';

export interface Weekly {
  on: boolean;
  days: Weekday[];
  count: number;
}

/** A weekly course: which weekdays and how many lectures (made into an RRULE by weeklyRule). */
export function RecurrencePicker({ value, onChange, max }: { value: Weekly; onChange: (v: Weekly) => void; max: number }) {
  const { t, language } = useT();
  const names = weekdayNames(language);
  return (
    <fieldset className="field recurrence" data-testid="recurrence">
      <legend>{t('recurrence.legend')}</legend>
      <label className="toggle">
        <input type="checkbox" data-testid="recurrence-weekly" checked={value.on} onChange={(e) => onChange({ ...value, on: e.target.checked })} />
        <span>{t('recurrence.weekly')}</span>
      </label>
      {value.on && (
        <>
          <div className="recurrence__days" role="group" aria-label={t('recurrence.days')}>
            {WEEKDAYS.map((d, i) => (
              <label key={d} className="toggle recurrence__day">
                <input
                  type="checkbox"
                  data-testid={`recurrence-day-${d}`}
                  checked={value.days.includes(d)}
                  onChange={(e) => onChange({ ...value, days: e.target.checked ? [...value.days, d] : value.days.filter((x) => x !== d) })}
                />
                <span>{names[i]}</span>
              </label>
            ))}
          </div>
          <label className="recurrence__count">
            <span>{t('recurrence.count', { max })}</span>
            <input
              type="number"
              data-testid="recurrence-count"
              min={1}
              max={max}
              value={value.count}
              onChange={(e) => onChange({ ...value, count: Math.max(1, Math.min(max, Math.floor(Number(e.target.value) || 1))) })}
            />
          </label>
        </>
      )}
    </fieldset>
  );
}
