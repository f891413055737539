/**
 * Clock strings shared by the live pages and the recordings pages. Its own module so that the
 * watch and kiosk pages (the REC badge) do not load the recordings' views and chapter words
 * (README, "Weak connections").
 */
export const pad = (n: number) => String(n).padStart(2, '0');
export const wholeSeconds = (ms: number) => Math.max(0, Math.floor(Number.isFinite(ms) ? ms / 1000 : 0));

/** The REC badge's clock: "03:12", "1:03:12" past an hour. Never negative (clocks disagree a little). */
export function recElapsed(since: number, now: number): string {
  const total = wholeSeconds(now - since);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}
