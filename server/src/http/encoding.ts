/** Content negotiation of a pre-compressed file: brotli, else gzip, else the file itself. */
export type Encoding = 'br' | 'gzip';

export const ENCODING_SUFFIX: Readonly<Record<Encoding, string>> = { br: '.br', gzip: '.gz' };

/** The server's preference when the request weighs both alike (Chromium sends `gzip, deflate, br, zstd`). */
const PREFERENCE: readonly Encoding[] = ['br', 'gzip'];

/**
 * The best of `available` for an Accept-Encoding header (RFC 9110 §12.5.3): the highest q-value
 * wins, a tie goes to brotli (smaller), `q=0` refuses, `*` stands for any encoding not named.
 * Null: send the file as it is (no header, nothing acceptable, or nothing available).
 */
export function chooseEncoding(header: string | undefined, available: readonly Encoding[]): Encoding | null {
  if (!header || available.length === 0) return null;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key === 'q') {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    weights.set(name.trim(), q);
  }
  let best: Encoding | null = null;
  let bestQ = 0;
  for (const encoding of PREFERENCE) {
    if (!available.includes(encoding)) continue;
    const q = weights.get(encoding) ?? weights.get('*') ?? 0;
    if (q > bestQ) {
      best = encoding;
      bestQ = q;
    }
  }
  return best;
}
