import express, { Router } from 'express';
import { requireAdmin } from './adminAuth.js';
import { attendanceRoutes } from './attendance.js';
import type { ApiDeps } from './context.js';
import { errorHandler, notFound } from './errors.js';
import { calendarRoutes } from './calendar.js';
import { kioskRoutes } from './kiosk.js';
import { studioProbeRoutes } from './probe.js';
import { ingestRoutes } from './ingest.js';
import { lectureRoutes } from './lectures.js';
import { siteRoutes } from './sites.js';
import { recordingRoutes } from './recordings.js';

export type { ApiDeps } from './context.js';

/** Largest JSON body accepted (a lecture with 50 sites is a few KB). */
export const MAX_BODY = '64kb';

/**
 * The admin API (mounted at /api): bearer-token auth first, then JSON bodies, then the routes;
 * every answer that is not a success is `{ error: { code, message } }`.
 */
export function createApiRouter(deps: ApiDeps): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store'); // answers carry join tokens
    next();
  });
  // The recording library checks access itself: admin token, or a viewing link (?token=) of one recording.
  const { recordings } = deps;
  if (recordings) router.use(recordingRoutes({ ...deps, recordings }));
  // A kiosk calls with its kiosk link's token, not the admin token.
  router.use(kioskRoutes(deps));
  if (deps.probes) router.use(studioProbeRoutes(deps, deps.probes)); // the trainer's link token
  // Calendar feeds carry their own token in the address (calendar apps send no header).
  router.use(calendarRoutes(deps));
  router.use(requireAdmin(deps.adminToken));
  router.use(express.json({ limit: MAX_BODY }));
  router.use(lectureRoutes(deps));
  router.use(attendanceRoutes(deps));
  router.use(siteRoutes(deps));
  if (deps.ingest) router.use(ingestRoutes(deps, deps.ingest));
  router.use(notFound);
  router.use(errorHandler(deps.logger));
  return router;
}
