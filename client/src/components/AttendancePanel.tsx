import { useTranslation } from 'react-i18next';
import { useCallback, useEffect, useState } from 'react';
import type { AttendanceSummary } from '@teleclass/shared';
import { formatDuration } from '../view/time.js';

/** Who attended and for how long, per classroom and per person (asked for on open and on refresh). */
export function AttendancePanel({ load }: { load: () => Promise<AttendanceSummary | null> }) {
  const { t } = useTranslation();
  const [summary, setSummary] = useState<AttendanceSummary | null>(null);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);

  const refresh = useCallback(async () => {
    setLoading(true);
    const answer = await load();
    setLoading(false);
    setFailed(answer === null);
    if (answer) setSummary(answer);
  }, [load]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <section className="attendance" data-testid="attendance-panel" aria-label={t('attendance.label')}>
      <div className="attendance__head">
        <button type="button" className="button button--small" data-testid="attendance-refresh" disabled={loading} onClick={() => void refresh()}>
          {t(loading ? 'common.loading' : 'common.refresh')}
        </button>
        {failed && <span className="attendance__error">{t('attendance.failed')}</span>}
      </div>
      {summary && (
        <>
          <h3>{t('attendance.perClassroom')}</h3>
          {summary.perSite.length === 0 ? (
            <p className="panel__empty">{t('attendance.noClassroom')}</p>
          ) : (
            <table className="attendance__table" data-testid="attendance-sites">
              <thead>
                <tr>
                  <th>{t('attendance.classroom')}</th>
                  <th>{t('attendance.people')}</th>
                  <th>{t('attendance.time')}</th>
                </tr>
              </thead>
              <tbody>
                {summary.perSite.map((s) => (
                  <tr key={s.site} data-testid={`attendance-site-${s.site}`}>
                    <td>{s.site}</td>
                    <td>{s.people}</td>
                    <td>{formatDuration(s.totalSeconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>{t('attendance.perPerson')}</h3>
          {summary.perPerson.length === 0 ? (
            <p className="panel__empty">{t('attendance.nobody')}</p>
          ) : (
            <table className="attendance__table" data-testid="attendance-people">
              <thead>
                <tr>
                  <th>{t('attendance.name')}</th>
                  <th>{t('attendance.where')}</th>
                  <th>{t('attendance.time')}</th>
                  <th>{t('attendance.now')}</th>
                </tr>
              </thead>
              <tbody>
                {summary.perPerson.map((p) => (
                  <tr key={p.identity} data-testid={`attendance-person-${p.name}`}>
                    <td>{p.name}</td>
                    <td>{p.role === 'trainer' ? t('attendance.trainer') : p.role === 'site' ? (p.site ?? t('attendance.classroom')) : t('attendance.online')}</td>
                    <td title={t('attendance.sessions', { count: p.sessions })}>{formatDuration(p.totalSeconds)}</td>
                    <td>{t(p.present ? 'attendance.present' : 'attendance.left')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
