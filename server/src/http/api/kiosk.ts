/**
 * The kiosk's own calls, authorised by its kiosk link's token (`Authorization: Bearer <token>`),
 * not by the admin token: POST /kiosk/:siteId (heartbeat; answers what the idle screen shows and,
 * when a lecture that includes the site is live, a site join token minted for it) and POST
 * /kiosk/:siteId/preflight (with GET /kiosk/:siteId/preflight/download and the WebRTC test of
 * /kiosk/:siteId/probe, see probe.ts, for its network test). A rotated kiosk link is refused at once (LINK_REVOKED). Each site may
 * call at most KIOSK_BURST times at once, then KIOSK_PER_SECOND a second (RATE_LIMITED).
 */
import { randomBytes } from 'node:crypto';
import express, { Router, type Request } from 'express';
import { kioskPollRequestSchema, preflightResultSchema, type KioskState, type UpcomingLecture } from '@teleclass/shared';
import { linkExpiry, siteIdentity, TokenError } from '../../auth/tokens.js';
import { RateLimiter } from '../../lecture/RateLimiter.js';
import type { LectureRecord, SiteRecord } from '../../store/Store.js';
import type { ApiDeps } from './context.js';
import { ApiError, parseOr400 } from './errors.js';
import { siteOf, siteView } from './siteLinks.js';
import { mountProbe } from './probe.js';

export const KIOSK_BURST = 10;
export const KIOSK_PER_SECOND = 2;
/** How many coming lectures the idle screen lists. */
const UPCOMING = 5;
/**
 * The pre-flight network test's download (GET /kiosk/:siteId/preflight/download?bytes=N): random
 * bytes (no compression can shrink them), at most this many; bytes=0 is the round-trip probe.
 */
export const PREFLIGHT_DOWNLOAD_MAX = 512 * 1024;
const preflightPayload = randomBytes(PREFLIGHT_DOWNLOAD_MAX);
/** A lecture that has not started shows on the idle screen until this long after its scheduled start. */
const LATE_GRACE_MS = 6 * 3_600_000;

export function kioskRoutes(deps: ApiDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const limiter = new RateLimiter(KIOSK_BURST, KIOSK_PER_SECOND);

  async function authorised(req: Request): Promise<SiteRecord> {
    const site = await siteOf(deps, req, 'siteId');
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '');
    if (!match) throw new ApiError('UNAUTHORIZED', 'A kiosk token is needed: Authorization: Bearer <token>.');
    try {
      const claims = await deps.tokens.verifyKiosk(match[1]!, site.id);
      if (claims.version !== site.kioskVersion) throw new ApiError('LINK_REVOKED', 'This kiosk link was replaced by a new one.');
    } catch (error) {
      if (error instanceof TokenError) throw new ApiError('UNAUTHORIZED', 'The kiosk link is not valid.');
      throw error;
    }
    if (!limiter.take(site.id)) throw new ApiError('RATE_LIMITED', 'Too many kiosk requests; slow down.');
    return site;
  }

  async function liveJoin(site: SiteRecord, lecture: LectureRecord): Promise<KioskState['live']> {
    const ref = lecture.siteRefs.find((r) => r.id === site.id)!;
    const scope = siteIdentity(ref.name);
    const token = await deps.tokens.sign(
      {
        lectureId: lecture.id,
        role: 'site',
        identity: scope,
        site: ref.name,
        version: (await deps.store.linkVersions(lecture.id))[scope] ?? 1,
        kiosk: { siteId: site.id, version: site.kioskVersion },
      },
      linkExpiry(lecture.scheduledStart, deps.linkValidityHours, now()),
    );
    return { lectureId: lecture.id, token };
  }

  router.post('/kiosk/:siteId', express.json({ limit: '4kb' }), async (req, res) => {
    const site = await authorised(req);
    const body = parseOr400(kioskPollRequestSchema, req.body ?? {}, 'kiosk poll');
    deps.sites?.heard(site.id, body.version);
    const at = now();
    const lectures = await deps.store.lecturesOfSite(site.id);
    const live = lectures.filter((l) => l.state === 'live').sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0))[0];
    const upcoming: UpcomingLecture[] = lectures
      .filter((l) => l.state === 'live' || (l.state === 'waiting' && Date.parse(l.scheduledStart) > at - LATE_GRACE_MS))
      .slice(0, UPCOMING)
      .map((l) => ({ lectureId: l.id, title: l.title, scheduledStart: l.scheduledStart, state: l.state }));
    const answer: KioskState = {
      site: siteView(site),
      upcoming,
      live: live ? await liveJoin(site, live) : null,
      pollMs: deps.kioskPollMs ?? 5_000,
      qualityReportMs: deps.qualityReportMs ?? 3_000,
      serverTime: at,
    };
    res.json(answer);
  });

  router.get('/kiosk/:siteId/preflight/download', async (req, res) => {
    await authorised(req);
    const asked = Number(req.query['bytes'] ?? 0);
    const bytes = Number.isInteger(asked) ? Math.max(0, Math.min(PREFLIGHT_DOWNLOAD_MAX, asked)) : 0;
    res.setHeader('Content-Type', 'application/octet-stream');
    res.end(preflightPayload.subarray(0, bytes));
  });

  router.post('/kiosk/:siteId/preflight', express.json({ limit: '4kb' }), async (req, res) => {
    const site = await authorised(req);
    const result = parseOr400(preflightResultSchema, req.body ?? undefined, 'pre-flight result');
    await deps.sites?.setPreflight(site.id, result);
    res.status(204).end();
  });

  if (deps.probes) mountProbe(router, '/kiosk/:siteId/probe', async (req) => `site:${(await authorised(req)).id}`, deps.probes);

  return router;
}
