import { useTranslation } from 'react-i18next';
import type { SiteHealth } from '@teleclass/shared';
import '../styles/sites-panel.css';
import { qualityFigures, siteAlerts } from '../view/siteHealth.js';
import { siteDegradationKey } from '../view/weakLink.js';

/**
 * The studio's view of every invited classroom: not connected / connected / on air, sound
 * blocked, and a green/amber/red bar of what it receives (the figures on hover and below), with an
 * alert for a classroom that has not joined, dropped out, or turned red.
 */
export function SitesPanel({ sites }: { sites: readonly SiteHealth[] }) {
  const { t } = useTranslation();
  if (sites.length === 0) return null;
  const alerts = siteAlerts(sites, t);
  return (
    <section className="panel sites-panel" data-testid="sites-panel">
      <h2 className="panel__title">{t('sites.title')}</h2>
      {alerts.map((a) => (
        <p key={a.name} className="sites-panel__alert" role="alert" data-testid={`site-alert-${a.name}`}>
          {a.text}
        </p>
      ))}
      <ul className="sites-panel__list">
        {sites.map((s) => {
          const figures = s.quality ? qualityFigures(s.quality, t) : '';
          const degraded = siteDegradationKey(s.priority);
          return (
            <li
              key={s.name}
              className={`sites-panel__site sites-panel__site--${s.state}`}
              data-testid={`site-health-${s.name}`}
              data-state={s.state}
              data-level={s.quality?.level ?? 'none'}
              data-alert={s.alert ?? ''}
              data-priority={s.priority ?? ''}
            >
              <span className="sites-panel__name">{s.name}</span>
              <span className="sites-panel__state">{t(`sites.state.${s.state}`)}</span>
              {s.soundBlocked && <span className="sites-panel__sound">{t('sites.soundBlocked')}</span>}
              {degraded && (
                <span className="sites-panel__degraded" data-testid={`site-priority-${s.name}`}>
                  {t(degraded)}
                </span>
              )}
              <span
                className={`sites-panel__bar sites-panel__bar--${s.quality?.level ?? 'none'}`}
                title={figures || t('sites.noFigures')}
                data-testid={`site-quality-${s.name}`}
              />
              {figures && <span className="sites-panel__figures">{figures}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
