/** What the studio's Sites panel says about one invited classroom. Pure (tested in node). */
import type { SiteHealth, SiteQuality } from '@teleclass/shared';
import type { TFunction } from 'i18next';

/** The figures, for the bar's hover text and the row: "loss 0.4 % · RTT 12 ms · jitter 3 ms · 1450 kbit/s · 29 fps · 0 freezes · score 10 · layer 2". */
export function qualityFigures(q: SiteQuality, t: TFunction): string {
  return [
    t('sites.figures.loss', { value: q.lossPct.toFixed(1) }),
    t('sites.figures.rtt', { value: Math.round(q.rttMs) }),
    t('sites.figures.jitter', { value: Math.round(q.jitterMs) }),
    t('sites.figures.bitrate', { value: Math.round(q.bitrateKbps) }),
    t('sites.figures.fps', { value: Math.round(q.fps) }),
    t('sites.figures.freezes', { value: q.freezes }),
    ...(q.score !== null ? [t('sites.figures.score', { value: q.score })] : []),
    ...(q.layer !== null ? [t('sites.figures.layer', { value: q.layer })] : []),
  ].join(' · ');
}

/** The alerts to show at the top of the panel, one sentence each. */
export function siteAlerts(sites: readonly SiteHealth[], t: TFunction): { name: string; text: string }[] {
  return sites.flatMap((s) => (s.alert ? [{ name: s.name, text: t(`sites.alert.${s.alert}`, { name: s.name }) }] : []));
}
