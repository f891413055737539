import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/Store.js';

/** The link-version scope of a lecture's ingest key: rotating it bumps the version. */
export const INGEST_SCOPE = 'ingest';

/**
 * A lecture's ingest key (WHIP bearer token, RTMP/SRT stream key): an HMAC of the lecture id and
 * its ingest version under the server's secret, so nothing new is stored; rotating bumps the
 * version (as link rotation does) and the old key stops working at once.
 */
export class IngestKeys {
  constructor(
    private readonly secret: string,
    private readonly store: Store,
  ) {}

  async key(lectureId: string): Promise<string> {
    const version = (await this.store.linkVersions(lectureId))[INGEST_SCOPE] ?? 1;
    return createHmac('sha256', this.secret).update(`ingest:${lectureId}:${version}`).digest('base64url').slice(0, 32);
  }

  /** Whether `presented` is the lecture's current key (compared in constant time). */
  async check(lectureId: string, presented: string | undefined): Promise<boolean> {
    if (!presented) return false;
    const a = Buffer.from(await this.key(lectureId));
    const b = Buffer.from(presented);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  async rotate(lectureId: string): Promise<void> {
    await this.store.bumpLinkVersions(lectureId, [INGEST_SCOPE]);
  }
}
