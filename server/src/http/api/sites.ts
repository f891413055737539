import { Router } from 'express';
import { createSiteRequestSchema, importSitesRequestSchema, patchSiteRequestSchema, type ImportedSites, type SiteList, type SiteStatus, type SiteWithLink } from '@teleclass/shared';
import { StoreError } from '../../store/errors.js';
import type { SiteRecord } from '../../store/Store.js';
import type { ApiDeps } from './context.js';
import { ApiError, parseOr400 } from './errors.js';
import { kioskUrl, siteCalendarUrl, siteOf, siteView } from './siteLinks.js';

const offline: SiteStatus = { online: false, lectureId: null, lastSeenAt: null, version: null, soundBlocked: false, quality: null, preflight: null };

async function duplicate<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof StoreError && error.code === 'DUPLICATE') throw new ApiError('DUPLICATE', error.message);
    throw error;
  }
}

/** The sites registry: POST/GET /sites, GET/PATCH/DELETE /sites/:id, POST /sites/:id/kiosk-link/rotate, POST /sites/import. */
export function siteRoutes(deps: ApiDeps): Router {
  const router = Router();
  const status = (s: SiteRecord): SiteStatus => deps.sites?.status(s) ?? { ...offline, lastSeenAt: s.lastSeenAt, version: s.clientVersion };

  router.post('/sites', async (req, res) => {
    const body = parseOr400(createSiteRequestSchema, req.body ?? undefined, 'site');
    const site = await duplicate(() => deps.store.createSite(body));
    deps.logger?.info({ siteId: site.id }, 'site created');
    res.status(201).json({ site: siteView(site), kioskUrl: await kioskUrl(deps, req, site) });
  });

  router.post('/sites/import', async (req, res) => {
    const body = parseOr400(importSitesRequestSchema, req.body ?? undefined, 'site list');
    const taken = new Set((await deps.store.listSites()).map((s) => s.name.toLocaleLowerCase('en-US')));
    const created: ReturnType<typeof siteView>[] = [];
    const skipped: string[] = [];
    for (const s of body.sites) {
      const k = s.name.toLocaleLowerCase('en-US');
      if (taken.has(k)) {
        skipped.push(s.name);
        continue;
      }
      taken.add(k);
      created.push(siteView(await deps.store.createSite(s)));
    }
    deps.logger?.info({ created: created.length, skipped: skipped.length }, 'sites imported');
    res.status(created.length > 0 ? 201 : 200).json({ created, skipped } satisfies ImportedSites);
  });

  router.get('/sites', async (req, res) => {
    const sites = await Promise.all(
      (await deps.store.listSites()).map(async (s) => ({ ...siteView(s), status: status(s), kioskUrl: await kioskUrl(deps, req, s), calendarUrl: siteCalendarUrl(deps, req, s) })),
    );
    // The studios' pre-flight checks (by lecture) beside the classrooms'.
    res.json({ sites, studios: deps.sites?.studioPreflights() ?? [] } satisfies SiteList);
  });

  router.get('/sites/:id', async (req, res) => {
    const site = await siteOf(deps, req);
    res.json({ site: siteView(site), kioskUrl: await kioskUrl(deps, req, site), calendarUrl: siteCalendarUrl(deps, req, site), status: status(site) });
  });

  router.patch('/sites/:id', async (req, res) => {
    const site = await siteOf(deps, req);
    const body = parseOr400(patchSiteRequestSchema, req.body ?? undefined, 'site');
    const patch = {
      ...(body.name !== undefined && { name: body.name }),
      ...(body.region !== undefined && { region: body.region }),
      ...(body.language !== undefined && { language: body.language }),
    };
    const updated = await duplicate(() => deps.store.updateSite(site.id, patch));
    if (!updated) throw new ApiError('NOT_FOUND', `No site "${site.id}".`);
    res.json({ site: siteView(updated) });
  });

  router.delete('/sites/:id', async (req, res) => {
    const site = await siteOf(deps, req);
    await deps.store.deleteSite(site.id);
    deps.onKioskRotated?.(site.id); // its kiosk's lecture connections end with it
    deps.logger?.info({ siteId: site.id }, 'site deleted');
    res.status(204).end();
  });

  router.post('/sites/:id/kiosk-link/rotate', async (req, res) => {
    const site = await siteOf(deps, req);
    const rotated = (await deps.store.bumpKioskVersion(site.id))!;
    deps.onKioskRotated?.(site.id);
    deps.logger?.info({ siteId: site.id }, 'kiosk link rotated; the old one no longer works');
    res.json({ site: siteView(rotated), kioskUrl: await kioskUrl(deps, req, rotated) } satisfies SiteWithLink);
  });

  return router;
}
