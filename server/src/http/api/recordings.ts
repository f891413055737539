/**
 * The recording library: GET /lectures/:id/recordings (admin), GET /recordings/:id, …/video
 * (Range requests; ?download=1 for an attachment), …/chapters.vtt (admin or a viewing link of
 * that recording), DELETE /recordings/:id (admin). Files are only ever read or deleted under
 * DATA_DIR/recordings.
 */
import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import { DEFAULT_LANGUAGE, recordingIdSchema, requestLanguage, type RecordingDetail, type RecordingList, type RecordingSummary } from '@teleclass/shared';
import { chapterRanges, chaptersVtt } from '../../recording/chapters.js';
import type { RecordingRecord } from '../../store/Store.js';
import { slugify } from '../../store/slug.js';
import type { ApiDeps } from './context.js';
import { ApiError, parseOr400, sendError } from './errors.js';
import { lectureOf } from './lectures.js';
import { baseUrl } from './links.js';
import { accessTo, requireAdminOf } from './recordingsAuth.js';
import type { RecordingsApiDeps } from './recordingsContext.js';
import { filesOf, removeRecordingFilesAnywhere, safeRecordingDir } from './recordingFiles.js';

export const durationOf = (r: RecordingRecord): number | null => (r.endedAt !== null ? Math.max(0, r.endedAt - r.startedAt) : null);

export function recordingSummary(r: RecordingRecord): RecordingSummary {
  return {
    id: r.id,
    lectureId: r.lectureId,
    status: r.status,
    progress: r.progress,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    durationMs: durationOf(r),
    bytes: r.tracks.reduce((sum, t) => sum + (Number.isFinite(t.bytes) ? t.bytes : 0), 0) + r.outputBytes,
    outputBytes: r.outputBytes,
    error: r.error,
    warnings: r.warnings,
  };
}

/** A download name from the lecture's title and the day: `Budget law 2026-03-02.mp4`. */
export function downloadName(title: string, startedAt: number): string {
  const clean = title.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
  return `${clean || slugify(title) || 'lecture'} ${new Date(startedAt).toISOString().slice(0, 10)}.mp4`;
}

export function recordingRoutes(deps: ApiDeps & { recordings: RecordingsApiDeps }): Router {
  const router = Router();
  const { store, tokens, adminToken, recordings: lib } = deps;
  const now = deps.now ?? Date.now;

  /** Parses :id (400), checks access (401/403), finds the record (404). */
  const recordingOf = async (req: Request) => {
    const id = parseOr400(recordingIdSchema, req.params['id'], 'recording id');
    const access = await accessTo(req, id, adminToken, tokens);
    const record = await store.getRecording(id);
    if (!record) throw new ApiError('NOT_FOUND', `No recording "${id}".`);
    return { record, access };
  };

  router.get('/lectures/:id/recordings', async (req, res) => {
    requireAdminOf(req, adminToken);
    const lecture = await lectureOf(deps, req);
    res.json({ recordings: (await store.listRecordings(lecture.id)).map(recordingSummary) } satisfies RecordingList);
  });

  router.get('/recordings/:id', async (req, res) => {
    const { record, access } = await recordingOf(req);
    const id = encodeURIComponent(record.id);
    const body: RecordingDetail = {
      recording: {
        ...recordingSummary(record),
        lectureTitle: (await store.getLecture(record.lectureId))?.title ?? '',
        tracks: record.tracks,
        chapters: record.chapters,
        videoUrl: `/api/recordings/${id}/video`,
        chaptersUrl: `/api/recordings/${id}/chapters.vtt`,
      },
    };
    if (access === 'admin') {
      const expiresAt = new Date(now() + lib.viewLinkHours * 3_600_000);
      const token = await tokens.signView({ recordingId: record.id }, expiresAt);
      body.viewUrl = `${baseUrl(req, deps.publicUrl)}/recordings/${id}?token=${encodeURIComponent(token)}`;
      body.viewUrlExpiresAt = expiresAt.toISOString();
    }
    res.json(body);
  });

  router.get('/recordings/:id/video', async (req, res) => {
    const { record } = await recordingOf(req);
    if (record.status !== 'ready' || !record.output) {
      throw new ApiError('NOT_READY', `The video is not ready (status ${record.status}, ${Math.floor(record.progress)} %).`);
    }
    // Cluster: the file is on the node that recorded it; this node passes it through (recordingNodes.ts).
    const where = await filesOf(lib, store, record.id);
    if (where.kind === 'remote') return where.nodes.pipeVideo(where.node, record.id, req, res);
    await serveVideo(lib, store, record, req, res);
  });

  router.get('/recordings/:id/chapters.vtt', async (req, res) => {
    const { record } = await recordingOf(req);
    const duration = durationOf(record);
    if (duration === null) throw new ApiError('NOT_READY', 'The recording has no end yet, so its chapters have no ends either.');
    // In the reader's language: ?lang= (the player sends its own), else Accept-Language, else the lecture's.
    const language =
      requestLanguage(req.query['lang'], req.get('accept-language')) ?? (await store.getLecture(record.lectureId))?.language ?? DEFAULT_LANGUAGE;
    res.status(200).vary('Accept-Language').type('text/vtt; charset=utf-8').send(chaptersVtt(chapterRanges(record.chapters, duration, language)));
  });

  router.delete('/recordings/:id', async (req, res) => {
    requireAdminOf(req, adminToken);
    const { record } = await recordingOf(req);
    if (record.status === 'recording') throw new ApiError('RECORDING_ACTIVE', 'The recording is still being written; stop it first.');
    await removeRecordingFilesAnywhere(lib, store, record, deps.logger);
    await store.deleteRecording(record.id);
    deps.logger?.info({ recordingId: record.id, lectureId: record.lectureId }, 'recording deleted');
    res.status(204).end();
  });

  return router;
}

/** The recording's composed MP4 from this node's DATA_DIR (Range requests; ?download=1: as an attachment). */
export async function serveVideo(lib: RecordingsApiDeps, store: ApiDeps['store'], record: RecordingRecord, req: Request, res: Response): Promise<void> {
  const dir = safeRecordingDir(lib.dataDir, record);
  if (record.status !== 'ready' || !record.output) {
    throw new ApiError('NOT_READY', `The video is not ready (status ${record.status}, ${Math.floor(record.progress)} %).`);
  }
  if (!dir || record.output !== path.basename(record.output)) throw new ApiError('NOT_FOUND', 'The video file is missing.');
  if (req.query['download'] === '1') {
    res.attachment(downloadName((await store.getLecture(record.lectureId))?.title ?? 'lecture', record.startedAt));
  }
  await sendFile(res, path.join(dir, record.output), { 'Content-Type': 'video/mp4' });
}

/** res.sendFile (Range requests, 206) as a promise; a missing file is a 404, a client gone is nothing. */
function sendFile(res: Response, file: string, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve) => {
    res.sendFile(file, { headers, dotfiles: 'allow', lastModified: true, acceptRanges: true }, (error) => {
      if (error && !res.headersSent) sendError(res, 'NOT_FOUND', 'The video file is missing.');
      resolve();
    });
  });
}
