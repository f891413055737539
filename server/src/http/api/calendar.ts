/**
 * iCalendar feeds (README: Calendar feeds), authorised by a token in the address (calendar apps
 * cannot send headers) or an `Authorization: Bearer` header:
 * - GET /sites/:id/calendar.ics — the site's lectures; the site's calendar token, its kiosk
 *   link's token, or the admin token. Rotating the kiosk link changes the calendar token too.
 * - GET /lectures/:id/calendar.ics — the lecture (and the rest of its series); the lecture's
 *   calendar token, any current join token of the lecture (e.g. the attendee link's), or the admin token.
 * Each address may be fetched CALENDAR_BURST times at once, then CALENDAR_PER_SECOND a second.
 */
import { timingSafeEqual } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { isCurrentLink } from '../../auth/tokens.js';
import { RateLimiter } from '../../lecture/RateLimiter.js';
import { renderCalendar, type CalendarEvent } from '../../schedule/ical.js';
import type { LectureRecord } from '../../store/Store.js';
import type { ApiDeps } from './context.js';
import { ApiError } from './errors.js';
import { lectureOf } from './lectures.js';
import { baseUrl } from './links.js';
import { siteOf } from './siteLinks.js';

export const CALENDAR_BURST = 5;
export const CALENDAR_PER_SECOND = 1;

function tokenOf(req: Request): string | null {
  const query = req.query['token'];
  if (typeof query === 'string' && query.length > 0 && query.length <= 4096) return query;
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '')?.[1] ?? null;
}

function isAdmin(deps: ApiDeps, token: string): boolean {
  const a = Buffer.from(token);
  const b = Buffer.from(deps.adminToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `lecture:<id>` — the scope of a lecture's calendar token (links.ts puts the feed in the lecture's links). */
export const lectureCalendarScope = (lectureId: string) => `lecture:${lectureId}`;

export function calendarRoutes(deps: ApiDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const limiter = new RateLimiter(CALENDAR_BURST, CALENDAR_PER_SECOND);
  const minutes = deps.calendarEventMinutes ?? 90;

  const event = (req: Request, l: LectureRecord, location: string): CalendarEvent => {
    const start = Date.parse(l.scheduledStart);
    return {
      uid: `${l.id}@${new URL(baseUrl(req, deps.publicUrl)).hostname}`,
      start,
      end: start + minutes * 60_000,
      summary: l.title,
      description: [l.trainerName, l.sites.join(', ')].filter(Boolean).join(' · '),
      location,
      ...(l.seriesId && { relatedTo: l.seriesId }),
      sequence: l.state === 'waiting' ? 0 : l.state === 'live' ? 1 : 2,
    };
  };

  const send = (res: Response, file: string, body: string) => {
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    res.setHeader('Content-Disposition', `inline; filename="${file}"`);
    res.send(body);
  };

  router.get('/sites/:id/calendar.ics', async (req, res) => {
    const site = await siteOf(deps, req);
    const token = tokenOf(req);
    if (!token) throw new ApiError('UNAUTHORIZED', 'A calendar token is needed: ?token=…');
    let ok = isAdmin(deps, token) || deps.tokens.verifyCalendar(token, `site:${site.id}:${site.kioskVersion}`);
    if (!ok) ok = await deps.tokens.verifyKiosk(token, site.id).then((c) => c.version === site.kioskVersion, () => false);
    if (!ok) throw new ApiError('UNAUTHORIZED', 'The calendar link is not valid.');
    if (!limiter.take(`site:${site.id}`)) throw new ApiError('RATE_LIMITED', 'Too many calendar requests; slow down.');
    const events = (await deps.store.lecturesOfSite(site.id)).map((l) => event(req, l, site.name));
    send(res, `${site.id}.ics`, renderCalendar({ name: site.name, events, now: now() }));
  });

  router.get('/lectures/:id/calendar.ics', async (req, res) => {
    const lecture = await lectureOf(deps, req);
    const token = tokenOf(req);
    if (!token) throw new ApiError('UNAUTHORIZED', 'A calendar token is needed: ?token=…');
    let ok = isAdmin(deps, token) || deps.tokens.verifyCalendar(token, lectureCalendarScope(lecture.id));
    if (!ok) {
      ok = await deps.tokens.verify(token, lecture.id).then(async (c) => isCurrentLink(c, await deps.store.linkVersions(lecture.id)), () => false);
    }
    if (!ok) throw new ApiError('UNAUTHORIZED', 'The calendar link is not valid.');
    if (!limiter.take(`lecture:${lecture.id}`)) throw new ApiError('RATE_LIMITED', 'Too many calendar requests; slow down.');
    const lectures = lecture.seriesId ? await deps.store.lecturesOfSeries(lecture.seriesId) : [lecture];
    const events = lectures.map((l) => event(req, l, l.sites.join(', ')));
    send(res, `${lecture.id}.ics`, renderCalendar({ name: lecture.title, events, now: now() }));
  });

  return router;
}
