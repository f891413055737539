import { useTranslation } from 'react-i18next';
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
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { currentLanguage } from '../i18n/index.js';
import { scheduleLine } from '../view/time.js';

/** The organiser's page: create lectures, hand out their links, download attendance, manage recordings. */
export function Admin() {
  const { t } = useTranslation();
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
          <Link to="/">Teleclass</Link> · {t('admin.lectures')}
        </h1>
        <form className="admin__token" onSubmit={applyToken}>
          <label>
            <span>{t('admin.token')}</span>
            <input
              type="password"
              data-testid="admin-token"
              value={typed}
              autoComplete="off"
              onChange={(event) => setTyped(event.target.value)}
              placeholder={t('admin.tokenPlaceholder')}
            />
          </label>
          <button type="submit" className="button button--small" data-testid="use-token">
            {t(token ? 'admin.change' : 'admin.use')}
          </button>
        </form>
        <LanguageSwitch />
      </header>
      {admin.error && (
        <div className="error-banner" role="alert" data-testid="admin-error">
          <span>
            {t(`adminErrors.${admin.error.status}`, { defaultValue: t('adminErrors.other') })}
            {admin.error.status === 400 && ` (${admin.error.message})`}
          </span>
          <button type="button" className="error-banner__close" onClick={admin.clearError} aria-label={t('common.dismiss')}>
            <X aria-hidden="true" />
          </button>
        </div>
      )}
      {!token ? (
        <p className="admin__intro">
          {t('admin.intro')}
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
              {t('admin.lectures')}{' '}
              <button type="button" className="button button--small" onClick={() => void admin.reload()} disabled={admin.loading}>
                {t('common.refresh')}
              </button>
            </h2>
            <ScheduleList lectures={admin.lectures} selectedId={selected?.lecture.id ?? null} onSelect={(id) => void admin.select(id)} />
          </section>
          {selected && (
            <section className="panel admin__selected" data-testid="selected-lecture">
              <h2 className="panel__title">{selected.lecture.title}</h2>
              <p className="admin__meta">
                {scheduleLine(selected.lecture.scheduledStart, currentLanguage(), t)} · {selected.lecture.trainerName} · {t(`state.${selected.lecture.state}`)}
              </p>
              <LectureLinks data={selected} />
              <CalendarLink url={selected.links.calendar} />
              <div className="admin__actions">
                <button type="button" className="button button--small" data-testid="download-attendance" onClick={() => void admin.downloadCsv(selected.lecture.id)}>
                  {t('admin.downloadCsv')}
                </button>
                {confirmDelete === selected.lecture.id ? (
                  <>
                    <span>{t('admin.deleteAsk')}</span>
                    <button
                      type="button"
                      className="button button--danger button--small"
                      data-testid="confirm-delete-lecture"
                      onClick={() => {
                        setConfirmDelete(null);
                        void admin.remove(selected.lecture.id);
                      }}
                    >
                      {t('admin.delete')}
                    </button>
                    <button type="button" className="button button--small" onClick={() => setConfirmDelete(null)}>
                      {t('common.cancel')}
                    </button>
                  </>
                ) : (
                  <button type="button" className="button button--danger button--small" data-testid="delete-lecture" onClick={() => setConfirmDelete(selected.lecture.id)}>
                    {t('admin.deleteLecture')}
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
