import { useTranslation } from 'react-i18next';
import { useState, type FormEvent } from 'react';
import type { CreateLectureRequest as NewLecture, Language, Site } from '@teleclass/shared';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../../i18n/languages.js';
import { weekdayOf, weeklyRule } from '../../view/recurrence.js';
import { RecurrencePicker, type Weekly } from './RecurrencePicker.js';
import { SitePicker } from './SitePicker.js';
import { localInputToIso, nextFullHour, parseSites, parseTime24, splitLocalInput, toLocalInput } from '../../view/lectureForm.js';

export interface LectureFormProps {
  disabled?: boolean;
  /** Creates the lecture; true when it was created (the form is then emptied). */
  onCreate: (lecture: NewLecture) => Promise<boolean>;
  /** The registry's classrooms, picked with checkboxes (free-text names stay for one-off rooms). */
  registry?: readonly Site[];
}

/** The most lectures one weekly course makes (the server's cap, SERIES_MAX_OCCURRENCES). */
export const SERIES_MAX = 52;

/** A new lecture: title, start (date, and a 24-hour time), trainer, classrooms (one a line), locked, recorded. */
export function LectureForm({ disabled, onCreate, registry = [] }: LectureFormProps) {
  const { t } = useTranslation();
  const [siteIds, setSiteIds] = useState<Set<string>>(new Set());
  const [weekly, setWeekly] = useState<Weekly>({ on: false, days: [], count: 10 });
  const [title, setTitle] = useState('');
  const [startDate, setStartDate] = useState(() => splitLocalInput(toLocalInput(nextFullHour(new Date()))).date);
  const [startTime, setStartTime] = useState(() => splitLocalInput(toLocalInput(nextFullHour(new Date()))).time);
  const [trainerName, setTrainerName] = useState('');
  const [sites, setSites] = useState('');
  const [locked, setLocked] = useState(false);
  const [autoRecord, setAutoRecord] = useState(false);
  const [language, setLanguage] = useState<Language>(DEFAULT_LANGUAGE);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const time = parseTime24(startTime);
    const scheduledStart = time ? localInputToIso(`${startDate}T${time}`) : null;
    if (!title.trim()) return setProblem(t('form.needTitle'));
    if (!scheduledStart) return setProblem(t('form.needStart'));
    if (!trainerName.trim()) return setProblem(t('form.needTrainer'));
    setProblem(null);
    setBusy(true);
    const days = weekly.days.length > 0 ? weekly.days : [weekdayOf(startDate)];
    const created = await onCreate({
      title: title.trim(), scheduledStart, trainerName: trainerName.trim(), sites: parseSites(sites), locked, autoRecord, language,
      siteIds: registry.filter((s) => siteIds.has(s.id)).map((s) => s.id),
      ...(weekly.on && { recurrence: weeklyRule(days, weekly.count) }),
    });
    setBusy(false);
    if (created) {
      setTitle('');
      setSites('');
      setSiteIds(new Set());
      setWeekly((w) => ({ ...w, on: false }));
      setLocked(false);
      setAutoRecord(false);
    }
  };

  return (
    <form className="admin-form panel" onSubmit={(event) => void submit(event)}>
      <h2 className="panel__title">{t('form.newLecture')}</h2>
      <label className="field">
        <span>{t('form.title')}</span>
        <input data-testid="lecture-title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} placeholder={t('form.titlePlaceholder')} />
      </label>
      <fieldset className="field field--start">
        <legend>{t('form.starts')}</legend>
        <div className="field__row">
          <input data-testid="lecture-start" type="date" aria-label={t('form.startDate')} value={startDate} onChange={(e) => setStartDate(e.target.value)} />
          <input
            data-testid="lecture-start-time"
            aria-label={t('form.startTime')}
            inputMode="numeric"
            placeholder="14:30"
            maxLength={5}
            size={5}
            value={startTime}
            onChange={(e) => setStartTime(e.target.value)}
            onBlur={() => setStartTime((t) => parseTime24(t) ?? t)}
          />
        </div>
      </fieldset>
      <label className="field">
        <span>{t('form.trainer')}</span>
        <input data-testid="trainer-name" value={trainerName} maxLength={60} onChange={(e) => setTrainerName(e.target.value)} placeholder={t('form.trainerPlaceholder')} />
      </label>
      <RecurrencePicker value={weekly} onChange={setWeekly} max={SERIES_MAX} />
      <SitePicker sites={registry} selected={siteIds} onChange={setSiteIds} />
      <label className="field">
        <span>{t('form.sites')}</span>
        <textarea data-testid="lecture-sites" rows={5} value={sites} onChange={(e) => setSites(e.target.value)} placeholder={'Ganja\nNakhchivan\nSumgait'} />
      </label>
      <label className="toggle">
        <input type="checkbox" data-testid="lecture-locked" checked={locked} onChange={(e) => setLocked(e.target.checked)} />
        <span>{t('form.locked')}</span>
      </label>
      <label className="toggle">
        <input type="checkbox" data-testid="lecture-auto-record" checked={autoRecord} onChange={(e) => setAutoRecord(e.target.checked)} />
        <span>{t('form.autoRecord')}</span>
      </label>
      <label className="field">
        <span>{t('form.recordingLanguage')}</span>
        <select data-testid="lecture-language" value={language} onChange={(e) => isLanguage(e.target.value) && setLanguage(e.target.value)}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      {problem && (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="button button--primary" data-testid="create-lecture" disabled={disabled || busy}>
        {t(busy ? 'form.creating' : 'form.create')}
      </button>
    </form>
  );
}
