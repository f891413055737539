/** What the studio's Sites panel says about one invited classroom. Pure (tested in node). */
import type { SiteHealth, SiteQuality } from '@teleclass/shared';

export const STATE_LABEL: Record<SiteHealth['state'], string> = {
  absent: 'not connected',
  connected: 'connected',
  onair: 'on air',
};

export const ALERT_TEXT: Record<NonNullable<SiteHealth['alert']>, string> = {
  missing: 'has not joined the live lecture',
  dropped: 'dropped out of the lecture',
  red: 'receives the lecture badly',
};

/** The figures, for the bar's hover text and the row: "loss 0.4 % · RTT 12 ms · jitter 3 ms · 1450 kbit/s · 29 fps · 0 freezes · score 10 · layer 2". */
export function qualityFigures(q: SiteQuality): string {
  return [
    `loss ${q.lossPct.toFixed(1)} %`,
    `RTT ${Math.round(q.rttMs)} ms`,
    `jitter ${Math.round(q.jitterMs)} ms`,
    `${Math.round(q.bitrateKbps)} kbit/s`,
    `${Math.round(q.fps)} fps`,
    `${q.freezes} freezes`,
    ...(q.score !== null ? [`score ${q.score}`] : []),
    ...(q.layer !== null ? [`layer ${q.layer}`] : []),
  ].join(' · ');
}

/** The alerts to show at the top of the panel, one sentence each. */
export function siteAlerts(sites: readonly SiteHealth[]): { name: string; text: string }[] {
  return sites.flatMap((s) => (s.alert ? [{ name: s.name, text: `${s.name} ${ALERT_TEXT[s.alert]}` }] : []));
}
