/** The studio's one line about what is on air, e.g. "Studio feed · WHIP · 1920×1080 · 30 fps · 4.2 Mbit/s". */
import type { FeedView } from '@teleclass/shared';
import type { TFunction } from 'i18next';

export interface MeasuredPicture {
  width: number;
  height: number;
  fps: number | null;
}

export function feedFigures(feed: FeedView, measured: MeasuredPicture | null, t: TFunction): string {
  const width = feed.width ?? measured?.width ?? null;
  const height = feed.height ?? measured?.height ?? null;
  const fps = feed.fps ?? measured?.fps ?? null;
  const parts = [t('feed.figures.name'), feed.protocol.toUpperCase()];
  if (width && height) parts.push(`${width}×${height}`);
  if (fps) parts.push(t('feed.figures.fps', { value: Math.round(fps) }));
  parts.push(t('feed.figures.bitrate', { value: (feed.bitrate / 1e6).toFixed(1) }));
  return parts.join(' · ');
}
