import { Router, type Request } from 'express';
import type { LectureRecord, SiteRef } from '../../store/Store.js';
import type { ApiDeps } from './context.js';
import { ApiError, parseOr400 } from './errors.js';
import { baseUrl, lectureLinks } from './links.js';
import { filesOf, removeRecordingFilesAnywhere } from './recordingFiles.js';
import { createLectureBody, lectureIdParam } from './schemas.js';
import { rotateLinksRequestSchema, type CreatedLecture, type LectureList, type LectureWithLinks, type RotateLinksRequest } from '@teleclass/shared';
import { siteIdentity } from '../../auth/tokens.js';
import { normaliseRule, SeriesError, seriesStarts } from '../../schedule/series.js';
import { randomBase36 } from '../../store/slug.js';

/** The most lectures one recurring lecture makes, unless SERIES_MAX_LECTURES says otherwise. */
export const DEFAULT_SERIES_MAX = 52;

/** The starts of a series (400 for a rule not accepted or making too many). */
function startsOf(recurrence: string, scheduledStart: string, max: number): { rule: string; starts: string[] } {
  try {
    return { rule: normaliseRule(recurrence), starts: seriesStarts(recurrence, scheduledStart, max) };
  } catch (error) {
    if (error instanceof SeriesError) throw new ApiError('BAD_REQUEST', `Invalid lecture: recurrence: ${error.message}`);
    throw error;
  }
}

/** The link scopes a rotation moves on (see linkScope). */
function rotationScopes(lecture: LectureRecord, body: RotateLinksRequest): string[] {
  if (body.role === 'site' && body.site !== undefined) {
    const site = lecture.sites.find((s) => s.toLowerCase() === body.site!.trim().toLowerCase());
    if (!site) throw new ApiError('NOT_FOUND', `Lecture "${lecture.id}" has no site "${body.site}".`);
    return [siteIdentity(site)];
  }
  const sites = lecture.sites.map(siteIdentity);
  if (body.role === 'site') return sites;
  if (body.role) return [body.role];
  return ['trainer', 'attendee', ...sites];
}

/**
 * A lecture's sites: the one-off names, then the registry's sites by id (400 for an unknown id;
 * a registered site whose name is also given as a one-off name is listed once).
 */
export async function withRegisteredSites(deps: ApiDeps, names: string[], siteIds: string[]): Promise<{ sites: string[]; siteRefs: SiteRef[] }> {
  const siteRefs: SiteRef[] = [];
  for (const id of siteIds) {
    const site = await deps.store.getSite(id);
    if (!site) throw new ApiError('BAD_REQUEST', `Invalid lecture: siteIds: no site "${id}".`);
    siteRefs.push({ id, name: site.name });
  }
  const key = (s: string) => s.toLocaleLowerCase('en-US');
  const registered = new Set(siteRefs.map((r) => key(r.name)));
  const sites = [...names.filter((n) => !registered.has(key(n))), ...siteRefs.map((r) => r.name)];
  if (sites.length > 50) throw new ApiError('BAD_REQUEST', 'Invalid lecture: sites: at most 50 sites');
  return { sites, siteRefs };
}

/** The lecture named by `:id`, or a 400 (malformed id) / 404 (no such lecture). */
export async function lectureOf(deps: ApiDeps, req: Request): Promise<LectureRecord> {
  const id = parseOr400(lectureIdParam, req.params['id'], 'lecture id');
  const lecture = await deps.store.getLecture(id);
  if (!lecture) throw new ApiError('NOT_FOUND', `No lecture "${id}".`);
  return lecture;
}

/** POST/GET /lectures, GET/DELETE /lectures/:id */
export function lectureRoutes(deps: ApiDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const links = async (req: Request, lecture: LectureRecord) =>
    lectureLinks(lecture, deps.tokens, baseUrl(req, deps.publicUrl), deps.linkValidityHours, await deps.store.linkVersions(lecture.id), now());

  router.post('/lectures', async (req, res) => {
    const { siteIds, recurrence, ...body } = parseOr400(createLectureBody, req.body ?? undefined, 'lecture');
    const sites = await withRegisteredSites(deps, body.sites, siteIds);
    if (recurrence !== undefined) {
      // A series: every occurrence is its own lecture (own links, own state) sharing a series id.
      const { rule, starts } = startsOf(recurrence, body.scheduledStart, deps.seriesMax ?? DEFAULT_SERIES_MAX);
      const seriesId = `series-${randomBase36(10)}`;
      const lectures: LectureRecord[] = [];
      for (const scheduledStart of starts) lectures.push(await deps.store.createLecture({ ...body, ...sites, scheduledStart, seriesId, recurrence: rule }));
      deps.logger?.info({ seriesId, lectures: lectures.length, sites: sites.sites.length }, 'recurring lecture created');
      const first = lectures[0]!;
      res.status(201).json({ lecture: first, links: await links(req, first), series: { id: seriesId, recurrence: rule, lectures } } satisfies CreatedLecture);
      return;
    }
    const lecture = await deps.store.createLecture({ ...body, ...sites });
    deps.logger?.info({ lectureId: lecture.id, sites: lecture.sites.length }, 'lecture created');
    res.status(201).json({ lecture, links: await links(req, lecture) } satisfies LectureWithLinks);
  });

  router.get('/lectures', async (_req, res) => {
    res.json({ lectures: await deps.store.listLectures() } satisfies LectureList);
  });

  router.get('/lectures/:id', async (req, res) => {
    const lecture = await lectureOf(deps, req);
    res.json({ lecture, links: await links(req, lecture) });
  });

  router.post('/lectures/:id/links/rotate', async (req, res) => {
    const lecture = await lectureOf(deps, req);
    const body = parseOr400(rotateLinksRequestSchema, req.body ?? {}, 'rotation');
    const scopes = rotationScopes(lecture, body);
    await deps.store.bumpLinkVersions(lecture.id, scopes);
    deps.onLinksRotated?.(lecture.id);
    deps.logger?.info({ lectureId: lecture.id, scopes }, 'links rotated; the old ones no longer work');
    res.json({ lecture, links: await links(req, lecture), rotated: scopes });
  });

  router.delete('/lectures/:id', async (req, res) => {
    const lecture = await lectureOf(deps, req);
    const lib = deps.recordings;
    const recordings = lib ? await deps.store.listRecordings(lecture.id) : [];
    // Cluster: refused (503) before anything changes when a node holding some of its recordings' files is not reachable.
    if (lib) for (const r of recordings) await filesOf(lib, deps.store, r.id);
    deps.onDelete?.(lecture.id);
    // Its recordings go with it: their jobs stop and their folders are removed, on the node that holds them.
    if (lib) for (const r of recordings) await removeRecordingFilesAnywhere(lib, deps.store, r, deps.logger);
    await deps.store.deleteLecture(lecture.id);
    deps.logger?.info({ lectureId: lecture.id }, 'lecture deleted');
    res.status(204).end();
  });

  return router;
}
