/** The sites registry (migration 5): classrooms as standing entities, each with one kiosk link. */
import { isLanguage, type Language } from '@teleclass/shared';
import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import { toLecture, type LectureRow } from './rows.js';
import { randomBase36, slugify } from './slug.js';
import type { LectureRecord, NewSite, SiteRecord, SiteStore } from './Store.js';

interface SiteRow {
  id: string;
  name: string;
  region: string | null;
  kiosk_version: number;
  last_seen_at: number | null;
  client_version: string | null;
  preflight: string | null;
  created_at: number;
  language: string | null;
}

function parseJson(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const toSite = (r: SiteRow): SiteRecord => ({
  id: r.id,
  name: r.name,
  region: r.region,
  kioskVersion: r.kiosk_version,
  lastSeenAt: r.last_seen_at,
  clientVersion: r.client_version,
  preflight: parseJson(r.preflight),
  createdAt: r.created_at,
  language: isLanguage(r.language) ? r.language : null,
});

const nameKey = (name: string) => name.trim().toLocaleLowerCase('en-US');
const isUnique = (error: unknown) => error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT_');

/** A new site id: the name's slug (or `site`) + '-' + 6 random base36 characters. */
export const siteIdFor = (name: string) => `${slugify(name, 30) || 'site'}-${randomBase36(6)}`;

export class SiteTable implements SiteStore {
  readonly #sql;

  constructor(
    db: Database.Database,
    private readonly now: () => number,
  ) {
    this.#sql = {
      insert: db.prepare(`INSERT INTO sites (id, name, name_key, region, created_at, language)
        VALUES (@id, @name, @nameKey, @region, @createdAt, @language)`),
      get: db.prepare<[string], SiteRow>('SELECT * FROM sites WHERE id = ?'),
      list: db.prepare<[], SiteRow>('SELECT * FROM sites ORDER BY name_key'),
      update: db.prepare(`UPDATE sites SET
        name     = CASE WHEN @setName   THEN @name    ELSE name END,
        name_key = CASE WHEN @setName   THEN @nameKey ELSE name_key END,
        region   = CASE WHEN @setRegion THEN @region  ELSE region END,
        language = CASE WHEN @setLanguage THEN @language ELSE language END
        WHERE id = @id`),
      delete: db.prepare('DELETE FROM sites WHERE id = ?'),
      bump: db.prepare('UPDATE sites SET kiosk_version = kiosk_version + 1 WHERE id = ?'),
      touch: db.prepare(`UPDATE sites SET last_seen_at = MAX(COALESCE(last_seen_at, 0), @at),
        client_version = COALESCE(@clientVersion, client_version) WHERE id = @id`),
      preflight: db.prepare('UPDATE sites SET preflight = ? WHERE id = ?'),
      lecturesOfSite: db.prepare<[string], LectureRow>(`SELECT l.* FROM lectures l
        WHERE EXISTS (SELECT 1 FROM json_each(l.site_refs) j WHERE json_extract(j.value, '$.id') = ?)
        ORDER BY l.scheduled_ms, l.created_at`),
      lecturesOfSeries: db.prepare<[string], LectureRow>('SELECT * FROM lectures WHERE series_id = ? ORDER BY scheduled_ms'),
    };
  }

  createSite(site: NewSite): SiteRecord {
    const name = site.name.trim();
    for (let attempt = 0; ; attempt++) {
      const id = siteIdFor(name);
      try {
        this.#sql.insert.run({ id, name, nameKey: nameKey(name), region: site.region?.trim() || null, createdAt: this.now(), language: site.language ?? null });
        return this.getSite(id)!;
      } catch (error) {
        if (isUnique(error) && this.listSites().some((s) => nameKey(s.name) === nameKey(name))) {
          throw new StoreError('DUPLICATE', `a site named "${name}" exists already`);
        }
        if (attempt < 5 && isUnique(error)) continue;
        throw error;
      }
    }
  }

  getSite(id: string): SiteRecord | undefined {
    const row = this.#sql.get.get(id);
    return row && toSite(row);
  }

  listSites(): SiteRecord[] {
    return this.#sql.list.all().map(toSite);
  }

  updateSite(id: string, patch: { name?: string; region?: string | null; language?: Language | null }): SiteRecord | undefined {
    const name = patch.name?.trim();
    try {
      this.#sql.update.run({
        id,
        setName: name !== undefined ? 1 : 0,
        name: name ?? null,
        nameKey: name !== undefined ? nameKey(name) : null,
        setRegion: patch.region !== undefined ? 1 : 0,
        region: patch.region?.trim() || null,
        setLanguage: patch.language !== undefined ? 1 : 0,
        language: patch.language ?? null,
      });
    } catch (error) {
      if (isUnique(error)) throw new StoreError('DUPLICATE', `a site named "${name}" exists already`);
      throw error;
    }
    return this.getSite(id);
  }

  deleteSite(id: string): boolean {
    return this.#sql.delete.run(id).changes > 0;
  }

  bumpKioskVersion(id: string): SiteRecord | undefined {
    this.#sql.bump.run(id);
    return this.getSite(id);
  }

  touchSite(id: string, at: number, clientVersion?: string): void {
    this.#sql.touch.run({ id, at, clientVersion: clientVersion ?? null });
  }

  setSitePreflight(id: string, result: Record<string, unknown>): void {
    this.#sql.preflight.run(JSON.stringify(result), id);
  }

  lecturesOfSite(siteId: string): LectureRecord[] {
    return this.#sql.lecturesOfSite.all(siteId).map(toLecture);
  }

  lecturesOfSeries(seriesId: string): LectureRecord[] {
    return this.#sql.lecturesOfSeries.all(seriesId).map(toLecture);
  }
}
