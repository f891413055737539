/** The sites registry (migration 5): classrooms as standing entities, each with one kiosk link. */
import { isLanguage, type Language } from '@teleclass/shared';
import type { Selectable } from 'kysely';
import type { SqlContext } from './context.js';
import { affected, type SqlDialect } from './dialect.js';
import { StoreError } from './errors.js';
import { toLecture } from './rows.js';
import type { SiteTableRow } from './schema.js';
import { randomBase36, slugify } from './slug.js';
import type { LectureRecord, NewSite, SiteRecord, SiteStore } from './Store.js';

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

const toSite = (d: SqlDialect, r: Selectable<SiteTableRow>): SiteRecord => ({
  id: r.id,
  name: r.name,
  region: r.region,
  kioskVersion: r.kiosk_version,
  lastSeenAt: r.last_seen_at,
  clientVersion: r.client_version,
  preflight: r.preflight === null ? null : asObject(d.readJson(r.preflight)),
  createdAt: r.created_at,
  language: isLanguage(r.language) ? r.language : null,
});

const nameKey = (name: string) => name.trim().toLocaleLowerCase('en-US');

/** A new site id: the name's slug (or `site`) + '-' + 6 random base36 characters. */
export const siteIdFor = (name: string) => `${slugify(name, 30) || 'site'}-${randomBase36(6)}`;

export class SiteTable implements SiteStore {
  constructor(private readonly ctx: SqlContext) {}

  async createSite(site: NewSite): Promise<SiteRecord> {
    const name = site.name.trim();
    for (let attempt = 0; ; attempt++) {
      const id = siteIdFor(name);
      try {
        await this.ctx.db
          .insertInto('sites')
          .values({ id, name, name_key: nameKey(name), region: site.region?.trim() || null, created_at: this.ctx.now(), language: site.language ?? null })
          .execute();
        return (await this.getSite(id))!;
      } catch (error) {
        const unique = this.ctx.d.violation(error) === 'unique';
        if (unique && (await this.#nameTaken(name))) throw new StoreError('DUPLICATE', `a site named "${name}" exists already`);
        // 36^6 suffixes: an id collision is rare; a few more draws settle it.
        if (attempt < 5 && unique) continue;
        throw error;
      }
    }
  }

  async #nameTaken(name: string): Promise<boolean> {
    return (await this.ctx.db.selectFrom('sites').select('id').where('name_key', '=', nameKey(name)).executeTakeFirst()) !== undefined;
  }

  async getSite(id: string): Promise<SiteRecord | undefined> {
    const row = await this.ctx.db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toSite(this.ctx.d, row);
  }

  async listSites(): Promise<SiteRecord[]> {
    const rows = await this.ctx.db.selectFrom('sites').selectAll().orderBy('name_key').execute();
    return rows.map((r) => toSite(this.ctx.d, r));
  }

  async updateSite(id: string, patch: { name?: string; region?: string | null; language?: Language | null }): Promise<SiteRecord | undefined> {
    const name = patch.name?.trim();
    const set: { name?: string; name_key?: string; region?: string | null; language?: string | null } = {};
    if (name !== undefined) Object.assign(set, { name, name_key: nameKey(name) });
    if (patch.region !== undefined) set.region = patch.region?.trim() || null;
    if (patch.language !== undefined) set.language = patch.language ?? null;
    if (Object.keys(set).length > 0) {
      try {
        await this.ctx.db.updateTable('sites').set(set).where('id', '=', id).execute();
      } catch (error) {
        if (this.ctx.d.violation(error) === 'unique') throw new StoreError('DUPLICATE', `a site named "${name}" exists already`);
        throw error;
      }
    }
    return this.getSite(id);
  }

  async deleteSite(id: string): Promise<boolean> {
    const result = await this.ctx.db.deleteFrom('sites').where('id', '=', id).executeTakeFirst();
    return affected(result.numDeletedRows) > 0;
  }

  async bumpKioskVersion(id: string): Promise<SiteRecord | undefined> {
    await this.ctx.db
      .updateTable('sites')
      .set((eb) => ({ kiosk_version: eb(eb.ref('kiosk_version'), '+', 1) }))
      .where('id', '=', id)
      .execute();
    return this.getSite(id);
  }

  async touchSite(id: string, at: number, clientVersion?: string): Promise<void> {
    const { d } = this.ctx;
    await this.ctx.db
      .updateTable('sites')
      .set((eb) => ({
        last_seen_at: d.greatest(eb.fn.coalesce(eb.ref('last_seen_at'), eb.val(0)), eb.val(at)),
        ...(clientVersion !== undefined ? { client_version: clientVersion } : {}),
      }))
      .where('id', '=', id)
      .execute();
  }

  async setSitePreflight(id: string, result: Record<string, unknown>): Promise<void> {
    await this.ctx.db.updateTable('sites').set({ preflight: this.ctx.d.json(result) }).where('id', '=', id).execute();
  }

  async lecturesOfSite(siteId: string): Promise<LectureRecord[]> {
    const { d } = this.ctx;
    const rows = await this.ctx.db
      .selectFrom('lectures')
      .selectAll()
      .where((eb) => d.jsonArrayHasId(eb.ref('site_refs'), siteId))
      .orderBy('scheduled_ms')
      .orderBy('created_at')
      .execute();
    return rows.map((r) => toLecture(d, r));
  }

  async lecturesOfSeries(seriesId: string): Promise<LectureRecord[]> {
    const rows = await this.ctx.db.selectFrom('lectures').selectAll().where('series_id', '=', seriesId).orderBy('scheduled_ms').execute();
    return rows.map((r) => toLecture(this.ctx.d, r));
  }
}
