import type { Request } from 'express';
import type { ApiDeps } from './context.js';
import { ApiError, parseOr400 } from './errors.js';
import { baseUrl } from './links.js';
import { siteIdSchema } from '@teleclass/shared';
import type { SiteRecord } from '../../store/Store.js';

/** The site named by `:id`, or a 400 (malformed id) / 404 (no such site). */
export async function siteOf(deps: ApiDeps, req: Request, param = 'id'): Promise<SiteRecord> {
  const id = parseOr400(siteIdSchema, req.params[param], 'site id');
  const site = await deps.store.getSite(id);
  if (!site) throw new ApiError('NOT_FOUND', `No site "${id}".`);
  return site;
}

/** The site's kiosk link at its current version: `/kiosk/<siteId>?token=…`. */
export async function kioskUrl(deps: ApiDeps, req: Request, site: SiteRecord): Promise<string> {
  const token = await deps.tokens.signKiosk({ siteId: site.id, version: site.kioskVersion });
  return `${baseUrl(req, deps.publicUrl)}/kiosk/${encodeURIComponent(site.id)}?token=${encodeURIComponent(token)}`;
}

/**
 * The site's iCalendar feed with its calendar token (`/api/sites/<id>/calendar.ics?token=…`): for
 * staff calendars, which cannot send a header. Rotating the kiosk link changes it too.
 */
export function siteCalendarUrl(deps: ApiDeps, req: Request, site: SiteRecord): string {
  const token = deps.tokens.calendarToken(`site:${site.id}:${site.kioskVersion}`);
  return `${baseUrl(req, deps.publicUrl)}/api/sites/${encodeURIComponent(site.id)}/calendar.ics?token=${token}`;
}

export const siteView = (s: SiteRecord) => ({ id: s.id, name: s.name, region: s.region, language: s.language });
