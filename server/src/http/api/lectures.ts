import { Router, type Request } from 'express';
import type { LectureRecord } from '../../store/Store.js';
import type { ApiDeps } from './context.js';
import { ApiError, parseOr400 } from './errors.js';
import { baseUrl, lectureLinks } from './links.js';
import { removeRecordingFiles } from './recordingFiles.js';
import { createLectureBody, lectureIdParam } from './schemas.js';

/** The lecture named by `:id`, or a 400 (malformed id) / 404 (no such lecture). */
export function lectureOf(deps: ApiDeps, req: Request): LectureRecord {
  const id = parseOr400(lectureIdParam, req.params['id'], 'lecture id');
  const lecture = deps.store.getLecture(id);
  if (!lecture) throw new ApiError('NOT_FOUND', `No lecture "${id}".`);
  return lecture;
}

/** POST/GET /lectures, GET/DELETE /lectures/:id */
export function lectureRoutes(deps: ApiDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;
  const links = (req: Request, lecture: LectureRecord) =>
    lectureLinks(lecture, deps.tokens, baseUrl(req, deps.publicUrl), deps.linkValidityHours, now());

  router.post('/lectures', async (req, res) => {
    const body = parseOr400(createLectureBody, req.body ?? undefined, 'lecture');
    const lecture = deps.store.createLecture(body);
    deps.logger?.info({ lectureId: lecture.id, sites: lecture.sites.length }, 'lecture created');
    res.status(201).json({ lecture, links: await links(req, lecture) });
  });

  router.get('/lectures', (_req, res) => {
    res.json({ lectures: deps.store.listLectures() });
  });

  router.get('/lectures/:id', async (req, res) => {
    const lecture = lectureOf(deps, req);
    res.json({ lecture, links: await links(req, lecture) });
  });

  router.delete('/lectures/:id', async (req, res) => {
    const lecture = lectureOf(deps, req);
    deps.onDelete?.(lecture.id);
    // Its recordings go with it: their jobs stop and their folders are removed.
    const lib = deps.recordings;
    if (lib) for (const r of deps.store.listRecordings(lecture.id)) await removeRecordingFiles(lib, r, deps.logger);
    deps.store.deleteLecture(lecture.id);
    deps.logger?.info({ lectureId: lecture.id }, 'lecture deleted');
    res.status(204).end();
  });

  return router;
}
