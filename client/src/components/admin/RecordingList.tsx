import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import type { RecordingSummary } from '@teleclass/shared';
import type { RecordingsConsole, ViewLink } from '../../hooks/useRecordings.js';
import { formatHms, formatMegabytes, progressPercent, recordingUrls, statusLabel, viewTokenOf, warningText } from '../../view/recordings.js';
import { currentLanguage } from '../../i18n/index.js';
import { formatDateTime } from '../../view/time.js';
import { CopyButton } from '../CopyButton.js';

/** The selected lecture's recordings: when, how long, how big, how far along; watch, download, share, delete. */
export function RecordingList({ data: rec }: { data: RecordingsConsole }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState<string | null>(null);
  const { recordings } = rec;
  return (
    <section className="recordings" data-testid="recordings" aria-label={t('recordings.title')}>
      <h3 className="recordings__title">{t('recordings.title')}</h3>
      {rec.error && (
        <p className="watch__error" role="alert" data-testid="recordings-error">
          {rec.error}
        </p>
      )}
      {recordings === null ? (
        <p className="recordings__empty">{t('common.loading')}</p>
      ) : recordings.length === 0 ? (
        <p className="recordings__empty" data-testid="recordings-empty">
          {t('recordings.none')}
        </p>
      ) : (
        <ul className="recordings__list">
          {recordings.map((r) => (
            <RecordingRow
              key={r.id}
              recording={r}
              link={rec.links[r.id]}
              confirming={confirming === r.id}
              onConfirm={(yes) => setConfirming(yes ? r.id : null)}
              onDelete={() => {
                setConfirming(null);
                void rec.remove(r.id);
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

interface RowProps {
  recording: RecordingSummary;
  link: ViewLink | undefined;
  confirming: boolean;
  onConfirm(yes: boolean): void;
  onDelete(): void;
}

function RecordingRow({ recording: r, link, confirming, onConfirm, onDelete }: RowProps) {
  const { t } = useTranslation();
  const duration = r.durationMs ?? (r.status === 'recording' ? Date.now() - r.startedAt : null);
  const percent = progressPercent(r.progress);
  const token = viewTokenOf(link?.url);
  const warnings = r.status === 'ready' ? (r.warnings ?? []) : [];
  return (
    <li className="recording-row" data-testid="recording-row" data-recording-id={r.id} data-status={r.status}>
      <span className="recording-row__when">{formatDateTime(r.startedAt, currentLanguage())}</span>
      <span className="recording-row__facts">
        <span data-testid="recording-duration">{formatHms(duration)}</span> · <span data-testid="recording-size">{formatMegabytes(r.bytes)}</span>
      </span>
      <span className="recording-row__status" data-testid="recording-status" data-status={r.status} data-warnings={warnings.length}>
        {statusLabel(r, t)}
        {r.status === 'failed' && r.error ? `: ${r.error}` : ''}
      </span>
      {warnings.length > 0 && (
        <ul className="recording-row__warnings" data-testid="recording-warnings">
          {warnings.map((w, i) => (
            <li key={i} data-testid="recording-warning" data-kind={w.kind}>
              {warningText(w, t)}
            </li>
          ))}
        </ul>
      )}
      {r.status === 'processing' && (
        <span className="recording-row__progress" data-testid="recording-progress">
          <progress max={100} value={percent} aria-label={t('recordings.progress')} />
          <span>{percent} %</span>
        </span>
      )}
      <span className="recording-row__actions">
        {r.status === 'ready' && link && token && (
          <>
            <a className="button button--small" href={link.url} target="_blank" rel="noreferrer" data-testid="recording-watch">
              {t('recordings.watch')}
            </a>
            <a className="button button--small" href={recordingUrls(r.id, token, currentLanguage()).download} download data-testid="recording-download">
              {t('recordings.download')}
            </a>
            <CopyButton text={link.url} testId="copy-recording-link" label={t('recordings.copyLink')} />
          </>
        )}
        {confirming ? (
          <>
            <span>{t('recordings.deleteAsk')}</span>
            <button type="button" className="button button--danger button--small" data-testid="confirm-delete-recording" onClick={onDelete}>
              {t('recordings.delete')}
            </button>
            <button type="button" className="button button--small" onClick={() => onConfirm(false)}>
              {t('common.cancel')}
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button button--danger button--small"
            data-testid="delete-recording"
            disabled={r.status === 'recording'}
            title={r.status === 'recording' ? t('recordings.stopFirst') : undefined}
            onClick={() => onConfirm(true)}
          >
            {t('recordings.delete')}
          </button>
        )}
      </span>
    </li>
  );
}
