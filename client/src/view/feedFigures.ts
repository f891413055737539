/** The studio's one line about what is on air, e.g. "Studio feed · WHIP · 1920×1080 · 30 fps · 4.2 Mbit/s". */
import type { FeedView } from '@teleclass/shared';

export interface MeasuredPicture {
  width: number;
  height: number;
  fps: number | null;
}

export function feedFigures(feed: FeedView, measured: MeasuredPicture | null): string {
  const width = feed.width ?? measured?.width ?? null;
  const height = feed.height ?? measured?.height ?? null;
  const fps = feed.fps ?? measured?.fps ?? null;
  const parts = ['Studio feed', feed.protocol.toUpperCase()];
  if (width && height) parts.push(`${width}×${height}`);
  if (fps) parts.push(`${Math.round(fps)} fps`);
  parts.push(`${(feed.bitrate / 1e6).toFixed(1)} Mbit/s`);
  return parts.join(' · ');
}
