import { useTranslation } from 'react-i18next';
import { LogOut } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';

export interface EndLectureButtonProps {
  disabled: boolean;
  /** Whether a recording runs now: the dialog then says it stops. */
  recording: boolean;
  /** How many classrooms and attendees are connected now. */
  sites: number;
  attendees: number;
  onEnd: () => void;
}

/**
 * "End lecture", kept away from the other controls, and a dialog that says what it does before
 * it does it: everyone leaves, the recording stops. Cancel is the default (Escape, Enter).
 */
export function EndLectureButton({ disabled, recording, sites, attendees, onEnd }: EndLectureButtonProps) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const box = dialog.current;
    if (!box) return;
    if (asking && !box.open) box.showModal();
    if (!asking && box.open) box.close();
  }, [asking]);

  // The lecture may end (or stop being live) while the dialog is open: nothing left to confirm.
  useEffect(() => {
    if (disabled) setAsking(false);
  }, [disabled]);

  return (
    <>
      <button type="button" className="button button--danger end-lecture" data-testid="end-lecture" disabled={disabled} onClick={() => setAsking(true)}>
        <LogOut className="icon" aria-hidden="true" />
        {t('end.button')}
      </button>
      <dialog
        ref={dialog}
        className="dialog"
        data-testid="end-lecture-dialog"
        aria-labelledby="end-lecture-title"
        onClose={() => setAsking(false)}
      >
        <h2 id="end-lecture-title" className="dialog__title">
          {t('end.title')}
        </h2>
        <ul className="dialog__facts">
          <li>{t('end.everyoneLeaves', { sites: t('counts.sites', { count: sites }), attendees: t('counts.attendees', { count: attendees }) })}</li>
          {recording ? (
            <li data-testid="end-lecture-recording">{t('end.recordingStops')}</li>
          ) : (
            <li>{t('end.notRecording')}</li>
          )}
        </ul>
        <div className="dialog__actions">
          <button type="button" className="button" data-testid="cancel-end-lecture" autoFocus onClick={() => setAsking(false)}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className="button button--live"
            data-testid="confirm-end-lecture"
            onClick={() => {
              setAsking(false);
              onEnd();
            }}
          >
            {t('end.confirm')}
          </button>
        </div>
      </dialog>
    </>
  );
}
