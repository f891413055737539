import { useTranslation } from 'react-i18next';
import '../styles/kiosk-idle.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { KioskState } from '@teleclass/shared';
import { isLectureId } from '@teleclass/shared/limits';
import { BigMessage } from '../components/BigMessage.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { currentLanguage, setLanguage } from '../i18n/index.js';
import { useNow } from '../hooks/useNow.js';
import { KioskPreflight } from '../kiosk/KioskPreflight.js';
import { useKioskPoll } from '../kiosk/useKioskPoll.js';
import { countdown, lectureToShow, startLabel } from '../view/kiosk.js';
import { SiteLecture } from './Site.js';

/**
 * A classroom PC's one link, opened once: `/kiosk/<siteId>?token=…`. Idle, it shows the site's
 * name, a clock and the coming lectures; when a lecture that includes the site goes live, it
 * joins by itself (the same full-screen page as a site link) and comes back to idle at the end.
 * Nothing here needs a click: polling and the lecture session both reconnect by themselves.
 */
export function Kiosk() {
  const { t } = useTranslation();
  const { siteId: param } = useParams();
  const [params] = useSearchParams();
  const siteId = isLectureId(param) ? param : null; // siteIdSchema is lectureIdSchema
  const token = params.get('token')?.trim() || null;
  if (!siteId || !token) {
    return (
      <div className="kiosk" data-testid="kiosk-no-link">
        <BigMessage title={t('kiosk.incomplete')} detail={t('kiosk.incompleteDetail')} />
      </div>
    );
  }
  return <KioskSite siteId={siteId} token={token} />;
}

function KioskSite({ siteId, token }: { siteId: string; token: string }) {
  const { t } = useTranslation();
  const poll = useKioskPoll(siteId, token);
  const [over, setOver] = useState<ReadonlySet<string>>(new Set());
  // The join token of the lecture shown: kept while that lecture is shown (every poll mints a new one).
  const joined = useRef<{ lectureId: string; token: string } | null>(null);
  const live = poll.state?.live ?? null;

  // The site's language from the registry, when it has one, is the kiosk's (each time it is set or
  // changed there; a switch at the kiosk lasts until then). Not kept as the browser's own choice.
  const siteLanguage = poll.state?.site.language ?? null;
  useEffect(() => {
    if (siteLanguage) setLanguage(siteLanguage, { keep: false });
  }, [siteLanguage]);

  // A lecture the kiosk saw end may be joined again once the server stops calling it live.
  useEffect(() => {
    setOver((set) => {
      const keep = [...set].filter((id) => id === live?.lectureId);
      return keep.length === set.size ? set : new Set(keep);
    });
  }, [live?.lectureId]);

  const showing = lectureToShow(live, over);
  if (showing === null) joined.current = null;
  else if (joined.current?.lectureId !== showing) joined.current = { lectureId: showing, token: live!.token };

  const { refresh } = poll;
  const onOver = useCallback(
    (lectureId: string) => {
      setOver((set) => new Set([...set, lectureId]));
      refresh(); // back to idle: heard from at once, the coming lectures fresh
    },
    [refresh],
  );

  if (poll.refused) {
    return (
      <div className="kiosk" data-testid="kiosk-refused" data-code={poll.refused}>
        <BigMessage title={t('kiosk.refused')} detail={t('kiosk.refusedDetail')} />
      </div>
    );
  }
  if (joined.current) {
    const { lectureId, token: joinToken } = joined.current;
    return (
      <SiteLecture
        key={lectureId}
        lectureId={lectureId}
        token={joinToken}
        onOver={() => onOver(lectureId)}
        reportEveryMs={poll.state?.qualityReportMs ?? 3_000}
      />
    );
  }
  return <KioskIdle state={poll.state} offline={poll.offline} skewMs={poll.skewMs} preflight={<KioskPreflight siteId={siteId} token={token} />} />;
}

function KioskIdle({ state, offline, skewMs, preflight }: { state: KioskState | null; offline: boolean; skewMs: number; preflight?: React.ReactNode }) {
  const { t } = useTranslation();
  const now = useNow(1_000) + skewMs;
  const clock = new Date(now);
  const hh = String(clock.getHours()).padStart(2, '0');
  const mm = String(clock.getMinutes()).padStart(2, '0');
  const ss = String(clock.getSeconds()).padStart(2, '0');
  return (
    <div className="kiosk kiosk-idle" data-testid="kiosk-idle">
      <div className="kiosk-idle__head">
        <h1 className="kiosk-idle__name" data-testid="kiosk-site-name">
          {state?.site.name ?? t('kiosk.connecting')}
        </h1>
        <LanguageSwitch className="kiosk-idle__language" />
        <div className="kiosk-idle__clock" data-testid="kiosk-clock">
          {hh}:{mm}
          <span className="kiosk-idle__seconds">:{ss}</span>
        </div>
      </div>
      {offline && (
        <p className="kiosk-idle__offline" data-testid="kiosk-offline">
          {t('kiosk.offline')}
        </p>
      )}
      <h2 className="kiosk-idle__subtitle">{t('kiosk.next')}</h2>
      {state && state.upcoming.length === 0 && <p className="kiosk-idle__none">{t('kiosk.none')}</p>}
      <ul className="kiosk-idle__list">
        {state?.upcoming.map((l) => (
          <li key={l.lectureId} className="kiosk-idle__item" data-testid={`kiosk-upcoming-${l.lectureId}`}>
            <span className="kiosk-idle__title">{l.title}</span>
            <span className="kiosk-idle__when">{startLabel(l.scheduledStart, currentLanguage())}</span>
            <span className="kiosk-idle__countdown">{l.state === 'live' ? t('kiosk.liveNow') : countdown(Date.parse(l.scheduledStart), now, t)}</span>
          </li>
        ))}
      </ul>
      {preflight}
    </div>
  );
}
