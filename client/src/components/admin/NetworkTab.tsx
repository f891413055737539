import { useState } from 'react';
import type { AdminLecture, Language, SiteWithStatus } from '@teleclass/shared';
import type { SitesConsole } from '../../hooks/useSites.js';
import { formatDateTime, formatNumber, formatTime } from '../../view/time.js';
import { useT } from '../../i18n/useLanguage.js';
import { CopyButton } from '../CopyButton.js';
import { ImportSitesButton } from './ImportSitesButton.js';
import { PreflightCell } from './PreflightCell.js';
import { SiteLanguageSelect } from './SiteLanguageSelect.js';

export interface NetworkTabProps {
  sites: SitesConsole;
  lectures: readonly AdminLecture[];
}

/**
 * Every registered classroom: online, which lecture, version, last seen, sound blocked, quality
 * and the last pre-flight check; its kiosk link with Copy and Rotate, and its calendar feed.
 */
export function NetworkTab({ sites, lectures }: NetworkTabProps) {
  const { t } = useT();
  const online = sites.sites.filter((s) => s.status.online).length;
  return (
    <section className="panel network" data-testid="network-tab">
      <h2 className="panel__title">
        {t('network.title')}{' '}
        <span className="network__summary" data-testid="network-summary">
          {t('network.summary', { count: sites.sites.length, online })}
        </span>{' '}
        <ImportSitesButton onImport={sites.importFile} />{' '}
        <button type="button" className="button button--small" onClick={() => void sites.reload()}>
          {t('network.refresh')}
        </button>
      </h2>
      {sites.error && (
        <p className="form-problem" role="alert" data-testid="network-error">
          {sites.error.code === 'BAD_FILE' ? t('sitesImport.badFile', { problem: sites.error.message }) : sites.error.message}
        </p>
      )}
      {sites.sites.length === 0 ? (
        <p className="panel__empty">{t('network.empty')}</p>
      ) : (
        <div className="network__scroll">
          <table className="network__table">
            <thead>
              <tr>
                <th>{t('network.site')}</th>
                <th>{t('network.state')}</th>
                <th>{t('network.lecture')}</th>
                <th>{t('network.version')}</th>
                <th>{t('network.lastSeen')}</th>
                <th>{t('network.sound')}</th>
                <th>{t('network.quality')}</th>
                <th>{t('network.preflight')}</th>
                <th>{t('network.kioskLanguage')}</th>
                <th>{t('network.kioskLink')}</th>
              </tr>
            </thead>
            <tbody>
              {sites.sites.map((s) => (
                <SiteRow key={s.id} site={s} lectures={lectures} onRotate={() => sites.rotate(s.id)} onLanguage={(l) => sites.setLanguage(s.id, l)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {sites.studios.length > 0 && (
        <>
          <h3 className="network__subtitle">{t('network.studios')}</h3>
          <ul className="network__studios" data-testid="network-studios">
            {sites.studios.map((s) => (
              <li key={s.lectureId} data-testid={`network-studio-${s.lectureId}`}>
                <strong>{lectures.find((l) => l.id === s.lectureId)?.title ?? s.lectureId}</strong>{' '}
                <PreflightCell result={s.preflight} testId={`network-studio-preflight-${s.lectureId}`} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function SiteRow({
  site,
  lectures,
  onRotate,
  onLanguage,
}: {
  site: SiteWithStatus;
  lectures: readonly AdminLecture[];
  onRotate: () => Promise<void>;
  onLanguage: (language: Language | null) => Promise<void>;
}) {
  const { t, language } = useT();
  const [confirm, setConfirm] = useState(false);
  const { status } = site;
  const lecture = status.lectureId ? lectures.find((l) => l.id === status.lectureId) : undefined;
  const seen = status.lastSeenAt;
  const q = status.quality;
  return (
    <tr data-testid={`network-site-${site.name}`} data-online={status.online} className={status.online ? '' : 'network__row--offline'}>
      <th scope="row">
        {site.name}
        {site.region && <span className="network__region">{site.region}</span>}
      </th>
      <td data-testid={`network-online-${site.name}`}>
        <span className={`network__dot network__dot--${status.online ? 'on' : 'off'}`} aria-hidden="true" /> {status.online ? t('network.online') : t('network.offline')}
      </td>
      <td data-testid={`network-lecture-${site.name}`}>{status.lectureId ? (lecture?.title ?? status.lectureId) : '—'}</td>
      <td>{status.version ?? '—'}</td>
      <td>{seen === null ? t('network.never') : Date.now() - seen < 86_400_000 ? formatTime(seen, language, undefined, true) : formatDateTime(seen, language)}</td>
      <td data-testid={`network-sound-${site.name}`}>
        {status.soundBlocked ? <strong className="network__bad">{t('network.soundBlocked')}</strong> : status.lectureId ? t('network.soundOk') : '—'}
      </td>
      <td data-testid={`network-quality-${site.name}`} data-level={q?.level ?? ''}>
        {q ? (
          <span
            className={`network__level network__level--${q.level}`}
            title={t('network.figures', {
              loss: formatNumber(q.lossPct, language, { maximumFractionDigits: 1 }),
              rtt: Math.round(q.rttMs),
              jitter: Math.round(q.jitterMs),
              kbps: Math.round(q.bitrateKbps),
              fps: Math.round(q.fps),
              freezes: q.freezes,
            })}
          >
            {t(`network.level.${q.level}`)}
          </span>
        ) : (
          '—'
        )}
      </td>
      <td>
        <PreflightCell result={status.preflight} testId={`network-preflight-${site.name}`} />
      </td>
      <td>
        <SiteLanguageSelect siteName={site.name} value={site.language} onChange={onLanguage} />
      </td>
      <td>
        <div className="network__links">
        {site.kioskUrl && (
          <>
            <CopyButton text={site.kioskUrl} testId={`copy-kiosk-${site.name}`} label={t('network.copy')} />
            {confirm ? (
              <>
                <span>{t('network.rotateConfirm')}</span>
                <button
                  type="button"
                  className="button button--danger button--small"
                  data-testid={`confirm-rotate-${site.name}`}
                  onClick={() => {
                    setConfirm(false);
                    void onRotate();
                  }}
                >
                  {t('network.rotate')}
                </button>
                <button type="button" className="button button--small" onClick={() => setConfirm(false)}>
                  {t('network.cancel')}
                </button>
              </>
            ) : (
              <button type="button" className="button button--small" data-testid={`rotate-kiosk-${site.name}`} onClick={() => setConfirm(true)}>
                {t('network.rotate')}
              </button>
            )}
            <input readOnly hidden value={site.kioskUrl} data-testid={`kiosk-link-${site.name}`} />
          </>
        )}
        {site.calendarUrl && <CopyButton text={site.calendarUrl} testId={`copy-calendar-${site.name}`} label={t('network.copyCalendar')} />}
        </div>
      </td>
    </tr>
  );
}
