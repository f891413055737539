import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LanguageSwitch } from '../components/LanguageSwitch.js';

/** What Teleclass is, where lectures are made, and the three kinds of links. */
export function Home() {
  const { t } = useTranslation();
  return (
    <main className="home">
      <div className="watch__form-head">
        <h1>Teleclass</h1>
        <LanguageSwitch />
      </div>
      <p className="home__lead">{t('home.lead')}</p>
      <p>
        <Trans i18nKey="home.where" components={{ admin: <Link to="/admin" /> }} />
      </p>
      <ul className="home__roles">
        <li>
          <strong>{t('home.trainerLink')}</strong> — <code>/studio/&lt;lecture&gt;?token=…</code>
          <p>{t('home.trainerText')}</p>
        </li>
        <li>
          <strong>{t('home.classroomLinks')}</strong>, {t('home.onePerClassroom')} — <code>/site/&lt;lecture&gt;?token=…</code>
          <p>{t('home.classroomText')}</p>
        </li>
        <li>
          <strong>{t('home.attendeeLink')}</strong>, {t('home.sharedOnline')} — <code>/watch/&lt;lecture&gt;?token=…</code>
          <p>{t('home.attendeeText')}</p>
        </li>
      </ul>
      <p className="home__note">{t('home.note')}</p>
    </main>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <main className="home">
      <h1>{t('home.notFound')}</h1>
      <p>
        <Trans i18nKey="home.notFoundText" components={{ start: <Link to="/" />, admin: <Link to="/admin" /> }} />
      </p>
    </main>
  );
}
