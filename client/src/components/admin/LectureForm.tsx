import { useState, type FormEvent } from 'react';
import type { NewLecture } from '../../admin/adminApi.js';
import { localInputToIso, nextFullHour, parseSites, toLocalInput } from '../../view/lectureForm.js';

export interface LectureFormProps {
  disabled?: boolean;
  /** Creates the lecture; true when it was created (the form is then emptied). */
  onCreate: (lecture: NewLecture) => Promise<boolean>;
}

/** A new lecture: title, start, trainer, classrooms (one a line), locked or not. */
export function LectureForm({ disabled, onCreate }: LectureFormProps) {
  const [title, setTitle] = useState('');
  const [start, setStart] = useState(() => toLocalInput(nextFullHour(new Date())));
  const [trainerName, setTrainerName] = useState('');
  const [sites, setSites] = useState('');
  const [locked, setLocked] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const scheduledStart = localInputToIso(start);
    if (!title.trim()) return setProblem('Give the lecture a title.');
    if (!scheduledStart) return setProblem('Pick the date and time the lecture starts.');
    if (!trainerName.trim()) return setProblem("Type the trainer's name.");
    setProblem(null);
    setBusy(true);
    const created = await onCreate({ title: title.trim(), scheduledStart, trainerName: trainerName.trim(), sites: parseSites(sites), locked });
    setBusy(false);
    if (created) {
      setTitle('');
      setSites('');
      setLocked(false);
    }
  };

  return (
    <form className="admin-form panel" onSubmit={(event) => void submit(event)}>
      <h2 className="panel__title">New lecture</h2>
      <label className="field">
        <span>Title</span>
        <input data-testid="lecture-title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} placeholder="Budget law 2026" />
      </label>
      <label className="field">
        <span>Starts</span>
        <input data-testid="lecture-start" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />
      </label>
      <label className="field">
        <span>Trainer</span>
        <input data-testid="trainer-name" value={trainerName} maxLength={60} onChange={(e) => setTrainerName(e.target.value)} placeholder="Dr. Aliyev" />
      </label>
      <label className="field">
        <span>Classrooms, one a line</span>
        <textarea data-testid="lecture-sites" rows={5} value={sites} onChange={(e) => setSites(e.target.value)} placeholder={'Ganja\nNakhchivan\nSumgait'} />
      </label>
      <label className="toggle">
        <input type="checkbox" data-testid="lecture-locked" checked={locked} onChange={(e) => setLocked(e.target.checked)} />
        <span>Locked: online attendees wait until the trainer lets them in</span>
      </label>
      {problem && (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="button button--primary" data-testid="create-lecture" disabled={disabled || busy}>
        {busy ? 'Creating…' : 'Create lecture'}
      </button>
    </form>
  );
}
