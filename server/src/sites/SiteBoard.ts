/**
 * What the server knows of each registered site right now: when its kiosk was last heard from
 * (its idle poll, or its lecture connection), which lecture it is in, its page's version, the
 * last quality figures it reported and its last pre-flight check. In memory, except `lastSeenAt`
 * and the version, which are written to the store at most once a minute per site (so the Network
 * tab still says "last seen" after a restart).
 */
import type { PreflightResult, SiteQuality, SiteStatus } from '@teleclass/shared';
import type { LectureRegistry } from '../lecture/LectureRegistry.js';
import type { SiteRecord, Store } from '../store/Store.js';

export interface SiteBoardOptions {
  /** How often an idle kiosk polls (KIOSK_POLL_SECONDS); it counts as online for three polls. */
  pollMs: number;
  now?: () => number;
}

/** Quality figures older than this are not shown (the kiosk reports every few seconds). */
export const QUALITY_FRESH_MS = 15_000;
const PERSIST_EVERY_MS = 60_000;
/** How many lectures' studio pre-flight results are kept (in memory; the oldest go first). */
export const STUDIO_PREFLIGHTS_KEPT = 100;

const key = (lectureId: string, siteName: string) => `${lectureId}\n${siteName.toLocaleLowerCase('en-US')}`;

export class SiteBoard {
  readonly #seen = new Map<string, { at: number; version: string | null; persistedAt: number }>();
  readonly #quality = new Map<string, SiteQuality>();
  readonly #studio = new Map<string, PreflightResult & { at: number }>();
  readonly #now: () => number;

  constructor(
    private readonly store: Store,
    private readonly registry: LectureRegistry,
    readonly options: SiteBoardOptions,
  ) {
    this.#now = options.now ?? Date.now;
  }

  /** The kiosk of `siteId` was heard from (its page version, when it said). */
  heard(siteId: string, version?: string): void {
    const at = this.#now();
    const before = this.#seen.get(siteId);
    const entry = { at, version: version ?? before?.version ?? null, persistedAt: before?.persistedAt ?? 0 };
    if (at - entry.persistedAt >= PERSIST_EVERY_MS || entry.version !== (before?.version ?? null)) {
      // Not awaited: a kiosk's poll does not wait for the store; a failed write is tried again on the next poll.
      entry.persistedAt = at;
      this.store.touchSite(siteId, at, version).catch(() => {
        const now = this.#seen.get(siteId);
        if (now) now.persistedAt = 0;
      });
    }
    this.#seen.set(siteId, entry);
  }

  /** The lecture this site is in now (its registered name among the lecture's site participants). */
  lectureOf(site: SiteRecord): { lectureId: string; name: string } | null {
    for (const room of this.registry.rooms()) {
      const ref = room.record.siteRefs.find((r) => r.id === site.id);
      if (!ref) continue;
      const name = ref.name.toLocaleLowerCase('en-US');
      if (room.lecture.participants.some((p) => p.role === 'site' && p.site?.toLocaleLowerCase('en-US') === name)) {
        return { lectureId: room.lecture.id, name: ref.name };
      }
    }
    return null;
  }

  /** The figures a site's kiosk (and the server) measured in a lecture. */
  report(lectureId: string, siteName: string, quality: SiteQuality): void {
    this.#quality.set(key(lectureId, siteName), quality);
  }

  /** The site's latest figures in this lecture, when fresh. */
  quality(lectureId: string, siteName: string): SiteQuality | null {
    const q = this.#quality.get(key(lectureId, siteName));
    if (!q) return null;
    if (this.#now() - q.at > QUALITY_FRESH_MS) {
      this.#quality.delete(key(lectureId, siteName));
      return null;
    }
    return q;
  }

  /** Forgets a lecture's figures (its room closed). */
  forgetLecture(lectureId: string): void {
    for (const k of this.#quality.keys()) if (k.startsWith(`${lectureId}\n`)) this.#quality.delete(k);
  }

  async setPreflight(siteId: string, result: PreflightResult): Promise<void> {
    await this.store.setSitePreflight(siteId, { ...result, at: this.#now() });
  }

  /** The studio of `lectureId` ran its pre-flight check. */
  setStudioPreflight(lectureId: string, result: PreflightResult): void {
    this.#studio.delete(lectureId);
    this.#studio.set(lectureId, { ...result, at: this.#now() });
    if (this.#studio.size > STUDIO_PREFLIGHTS_KEPT) this.#studio.delete(this.#studio.keys().next().value!);
  }

  /** Each lecture's last studio pre-flight, newest first. */
  studioPreflights(): { lectureId: string; preflight: PreflightResult & { at: number } }[] {
    return [...this.#studio].map(([lectureId, preflight]) => ({ lectureId, preflight })).reverse();
  }

  status(site: SiteRecord): SiteStatus {
    const seen = this.#seen.get(site.id);
    const where = this.lectureOf(site);
    const lastSeenAt = where ? this.#now() : (seen?.at ?? site.lastSeenAt);
    if (where) this.heard(site.id);
    const quality = where ? this.quality(where.lectureId, where.name) : null;
    const pre = site.preflight;
    return {
      online: where !== null || (lastSeenAt !== null && this.#now() - lastSeenAt <= 3 * this.options.pollMs + 2_000),
      lectureId: where?.lectureId ?? null,
      lastSeenAt,
      version: seen?.version ?? site.clientVersion,
      soundBlocked: quality?.soundBlocked ?? false,
      quality,
      preflight: pre ? (pre as SiteStatus['preflight']) : null,
    };
  }
}
