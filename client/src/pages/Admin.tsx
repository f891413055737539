import { useState, type FormEvent } from 'react';
import { X } from 'lucide-react';
import { Link } from 'react-router';
import { adoptTokenFromHash, keepAdminToken, readAdminToken } from '../admin/adminToken.js';
import { LectureForm } from '../components/admin/LectureForm.js';
import { LectureLinks } from '../components/admin/LectureLinks.js';
import { CalendarLink } from '../components/admin/CalendarLink.js';
import { NetworkTab } from '../components/admin/NetworkTab.js';
import { ScheduleList } from '../components/admin/ScheduleList.js';
import { AdminTabs, type AdminTab } from '../components/admin/AdminTabs.js';
import { useSites } from '../hooks/useSites.js';
import { RecordingList } from '../components/admin/RecordingList.js';
import { useAdmin } from '../hooks/useAdmin.js';
import { useRecordings } from '../hooks/useRecordings.js';
import { formatDateTime } from '../view/time.js';

/** The organiser's page: create lectures, hand out their links, download attendance, manage recordings. */
export function Admin() {
  const [token, setToken] = useState<string | null>(() => adoptTokenFromHash() ?? readAdminToken());
  const [typed, setTyped] = useState(token ?? '');
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const admin = useAdmin(token);
  const selected = admin.selected;
  const recordings = useRecordings(token, selected?.lecture.id ?? null);
  const [tab, setTab] = useState<AdminTab>('lectures');
  const sites = useSites(token, tab === 'network');

  const applyToken = (event: FormEvent) => {
    event.preventDefault();
    const value = typed.trim() || null;
    keepAdminToken(value);
    setToken(value);
  };

  return (
    <main className="admin">
      <header className="admin__bar">
        <h1>
          <Link to="/">Teleclass</Link> · Lectures
        </h1>
        <form className="admin__token" onSubmit={applyToken}>
          <label>
            <span>Admin token</span>
            <input
              type="password"
              data-testid="admin-token"
              value={typed}
              autoComplete="off"
              onChange={(event) => setTyped(event.target.value)}
              placeholder="Paste the admin token"
            />
          </label>
          <button type="submit" className="button button--small" data-testid="use-token">
            {token ? 'Change' : 'Use'}
          </button>
        </form>
      </header>
      {admin.error && (
        <div className="error-banner" role="alert" data-testid="admin-error">
          <span>{admin.error}</span>
          <button type="button" className="error-banner__close" onClick={admin.clearError} aria-label="Dismiss">
            <X aria-hidden="true" />
          </button>
        </div>
      )}
      {!token ? (
        <p className="admin__intro">
          Paste the admin token (the server prints where to find it when it starts), or open the admin link with <code>#token=…</code>.
        </p>
      ) : admin.unauthorized ? null /* the banner above says the token is wrong; nothing else is known */ : (
        <>
        <AdminTabs tab={tab} onTab={setTab} />
        {tab === 'network' ? (
          <NetworkTab sites={sites} lectures={admin.lectures} />
        ) : (
        <div className="admin__body">
          <LectureForm onCreate={admin.create} registry={sites.sites} />
          <section className="panel admin__lectures">
            <h2 className="panel__title">
              Lectures{' '}
              <button type="button" className="button button--small" onClick={() => void admin.reload()} disabled={admin.loading}>
                Refresh
              </button>
            </h2>
            <ScheduleList lectures={admin.lectures} selectedId={selected?.lecture.id ?? null} onSelect={(id) => void admin.select(id)} />
          </section>
          {selected && (
            <section className="panel admin__selected" data-testid="selected-lecture">
              <h2 className="panel__title">{selected.lecture.title}</h2>
              <p className="admin__meta">
                {formatDateTime(selected.lecture.scheduledStart)} · {selected.lecture.trainerName} · {selected.lecture.state}
              </p>
              <LectureLinks data={selected} />
              <CalendarLink url={selected.links.calendar} />
              <div className="admin__actions">
                <button type="button" className="button button--small" data-testid="download-attendance" onClick={() => void admin.downloadCsv(selected.lecture.id)}>
                  Download attendance (CSV)
                </button>
                {confirmDelete === selected.lecture.id ? (
                  <>
                    <span>Delete this lecture and its links?</span>
                    <button
                      type="button"
                      className="button button--danger button--small"
                      data-testid="confirm-delete-lecture"
                      onClick={() => {
                        setConfirmDelete(null);
                        void admin.remove(selected.lecture.id);
                      }}
                    >
                      Delete
                    </button>
                    <button type="button" className="button button--small" onClick={() => setConfirmDelete(null)}>
                      Cancel
                    </button>
                  </>
                ) : (
                  <button type="button" className="button button--danger button--small" data-testid="delete-lecture" onClick={() => setConfirmDelete(selected.lecture.id)}>
                    Delete lecture
                  </button>
                )}
              </div>
              <RecordingList data={recordings} />
            </section>
          )}
        </div>
        )}
        </>
      )}
    </main>
  );
}
