import { Router } from 'express';
import type { IngestService } from '../../ingest/IngestService.js';
import type { ApiDeps } from './context.js';
import { baseUrl } from './links.js';
import { lectureOf } from './lectures.js';

/**
 * POST /lectures/:id/ingest → where an encoder sends the lecture's program (WHIP URL and bearer
 * token, RTMP server and stream key); POST /lectures/:id/ingest/rotate → new key (the old one
 * is refused from then on; a feed already connected stays on air).
 */
export function ingestRoutes(deps: ApiDeps, ingest: IngestService): Router {
  const router = Router();
  router.post('/lectures/:id/ingest', async (req, res) => {
    const lecture = await lectureOf(deps, req);
    res.json({ credentials: await ingest.credentials(lecture.id, baseUrl(req, deps.publicUrl)), ...ingest.stateOf(lecture.id) });
  });
  router.post('/lectures/:id/ingest/rotate', async (req, res) => {
    const lecture = await lectureOf(deps, req);
    await ingest.keys.rotate(lecture.id);
    deps.logger?.info({ lectureId: lecture.id }, 'ingest key rotated; the old one no longer works');
    res.json({ credentials: await ingest.credentials(lecture.id, baseUrl(req, deps.publicUrl)), ...ingest.stateOf(lecture.id) });
  });
  return router;
}
