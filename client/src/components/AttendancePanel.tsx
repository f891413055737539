import { useCallback, useEffect, useState } from 'react';
import type { AttendanceSummary } from '@teleclass/shared';
import { formatDuration } from '../view/time.js';

/** Who attended and for how long, per classroom and per person (asked for on open and on refresh). */
export function AttendancePanel({ load }: { load: () => Promise<AttendanceSummary | null> }) {
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
    <section className="attendance" data-testid="attendance-panel" aria-label="Attendance">
      <div className="attendance__head">
        <button type="button" className="button button--small" data-testid="attendance-refresh" disabled={loading} onClick={() => void refresh()}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
        {failed && <span className="attendance__error">Could not load the attendance.</span>}
      </div>
      {summary && (
        <>
          <h3>Per classroom</h3>
          {summary.perSite.length === 0 ? (
            <p className="panel__empty">No classroom in this lecture.</p>
          ) : (
            <table className="attendance__table" data-testid="attendance-sites">
              <thead>
                <tr>
                  <th>Classroom</th>
                  <th>People</th>
                  <th>Time</th>
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
          <h3>Per person</h3>
          {summary.perPerson.length === 0 ? (
            <p className="panel__empty">Nobody yet.</p>
          ) : (
            <table className="attendance__table" data-testid="attendance-people">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Where</th>
                  <th>Time</th>
                  <th>Now</th>
                </tr>
              </thead>
              <tbody>
                {summary.perPerson.map((p) => (
                  <tr key={p.identity} data-testid={`attendance-person-${p.name}`}>
                    <td>{p.name}</td>
                    <td>{p.role === 'trainer' ? 'Trainer' : p.role === 'site' ? (p.site ?? 'Classroom') : 'Online'}</td>
                    <td title={`${p.sessions} session${p.sessions === 1 ? '' : 's'}`}>{formatDuration(p.totalSeconds)}</td>
                    <td>{p.present ? 'present' : 'left'}</td>
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
