import { useTranslation } from 'react-i18next';
import '../styles/weak-link.css';
import { useLectureActions, useLectureState } from '../hooks/useLecture.js';
import { weakLinkNote } from '../view/weakLink.js';

/**
 * Over the trainer's corner picture (where the paused camera would be, never over the slides): what
 * a weak link holds back now ("Weak connection: the trainer's video is paused, sound and slides
 * continue"), and, for an attendee, the choice of "audio and slides only". A kiosk shows the note
 * only (nobody is there to choose), sized to be read from the back of the room.
 */
export function WeakLinkNote() {
  const { t } = useTranslation();
  const state = useLectureState();
  const { setAudioSlidesOnly } = useLectureActions();
  if (!state || state.phase !== 'joined' || state.lecture?.state !== 'live') return null;
  const note = weakLinkNote(state.weakLink);
  const control = state.role === 'attendee';
  if (!note && !control) return null;
  const { manual } = state.weakLink;
  return (
    <div
      className={`weak-link weak-link--${note?.kind ?? 'none'} ${state.role === 'site' ? 'weak-link--kiosk' : ''}`}
      data-testid="weak-link"
      data-step={state.weakLink.step}
    >
      {note && (
        <p className="weak-link__note" role="status" data-testid="weak-link-note">
          {t(note.key)}
        </p>
      )}
      {control && (
        <button
          type="button"
          className="weak-link__choice"
          aria-pressed={manual}
          data-testid="audio-slides-only"
          onClick={() => void setAudioSlidesOnly(!manual)}
        >
          {t(manual ? 'weakLink.showVideo' : 'weakLink.audioSlidesOnly')}
        </button>
      )}
    </div>
  );
}
