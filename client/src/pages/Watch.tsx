import { useState, type FormEvent } from 'react';
import { AudioSink } from '../components/AudioSink.js';
import { BigMessage } from '../components/BigMessage.js';
import { StateBadge } from '../components/StateBadge.js';
import { ViewerStage } from '../components/ViewerStage.js';
import { useLectureId } from '../hooks/useLectureId.js';
import { useLectureSession } from '../hooks/useLectureSession.js';
import { useSessionState } from '../hooks/useSessionState.js';
import { checkName } from '../view/names.js';

const NAME_KEY = 'teleclass.displayName';

function storedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

function storeName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Private mode: the name is simply not remembered.
  }
}

/** A remote attendee: a name, then the lecture in a window with sound. */
export function Watch() {
  const lectureId = useLectureId();
  const [name, setName] = useState(storedName);
  const [joinedAs, setJoinedAs] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [hasLeft, setHasLeft] = useState(false);
  const session = useLectureSession(lectureId && joinedAs ? { lectureId, role: 'attendee', displayName: joinedAs } : null);
  const state = useSessionState(session);

  if (!lectureId) {
    return (
      <main className="watch">
        <BigMessage title="This lecture address is not valid" />
      </main>
    );
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkName(name);
    if (!checked.ok) {
      setFormError(checked.message);
      return;
    }
    storeName(checked.name);
    setFormError(null);
    setHasLeft(false);
    setJoinedAs(checked.name);
  };

  if (joinedAs === null) {
    return (
      <main className="watch">
        <form className="watch__form" onSubmit={onSubmit}>
          <h1>Watch the lecture</h1>
          {hasLeft && <p className="watch__note">You left the lecture.</p>}
          <label className="watch__label">
            Your name
            <input
              data-testid="display-name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              autoComplete="name"
              maxLength={60}
              autoFocus
            />
          </label>
          {formError && (
            <p className="watch__error" role="alert">
              {formError}
            </p>
          )}
          <button type="submit" className="button button--primary" data-testid="join">
            Watch
          </button>
        </form>
      </main>
    );
  }

  return (
    <main className="watch watch--joined">
      <header className="watch__bar">
        <span className="watch__title">Lecture {lectureId}</span>
        {state?.lecture && <StateBadge state={state.lecture.state} />}
        <span className="watch__me">{joinedAs}</span>
        <button
          type="button"
          className="button"
          data-testid="leave"
          onClick={() => {
            setJoinedAs(null);
            setHasLeft(true);
          }}
        >
          Leave
        </button>
      </header>
      <div className="watch__window">
        <ViewerStage session={session} state={state} />
        <AudioSink tracks={state?.remote.audio.map((a) => a.track) ?? []} />
      </div>
    </main>
  );
}
