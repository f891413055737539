/**
 * The recording library API (/api/recordings, /api/lectures/:id/recordings): answers, defined once
 * for the server's routes and the pages that list and play recordings.
 */
import { z } from 'zod';
import { lectureIdSchema, mediaKindSchema, mediaSourceSchema, roleSchema } from '../domain.js';

export const recordingIdSchema = z.uuid();

export const recordingStatusSchema = z.enum(['recording', 'stopped', 'interrupted', 'processing', 'ready', 'failed']);
export type RecordingStatusView = z.infer<typeof recordingStatusSchema>;

/** One line of a lecture's recording list. */
export const recordingSummarySchema = z.object({
  id: recordingIdSchema,
  lectureId: lectureIdSchema,
  status: recordingStatusSchema,
  /** Composing progress, 0–100. */
  progress: z.number().min(0).max(100),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  /** Length of the recording; null while unknown (still recording, or cut off and not composed yet). */
  durationMs: z.number().nullable(),
  /** Raw files + composed video, on disk. */
  bytes: z.number(),
  outputBytes: z.number(),
  /** Why composing failed. */
  error: z.string().nullable(),
});
export type RecordingSummary = z.infer<typeof recordingSummarySchema>;

export const recordingTrackViewSchema = z.object({
  file: z.string(),
  kind: mediaKindSchema,
  source: mediaSourceSchema,
  role: roleSchema,
  name: z.string(),
  startMs: z.number(),
  endMs: z.number().nullable(),
  bytes: z.number(),
});

export const recordingChapterViewSchema = z.object({
  atMs: z.number(),
  kind: z.enum(['start', 'slides', 'floor', 'answered']),
  title: z.string(),
});

/** GET /api/recordings/:id: the recording; `viewUrl` (a fresh signed viewing link) only for the admin. */
export const recordingDetailSchema = z.object({
  recording: recordingSummarySchema.extend({
    lectureTitle: z.string(),
    tracks: z.array(recordingTrackViewSchema),
    chapters: z.array(recordingChapterViewSchema),
    /** Relative URLs; add `?token=` of a viewing link when not using the admin token. */
    videoUrl: z.string(),
    chaptersUrl: z.string(),
  }),
  viewUrl: z.string().optional(),
  /** ISO 8601: when `viewUrl` stops working. */
  viewUrlExpiresAt: z.string().optional(),
});
export type RecordingDetail = z.infer<typeof recordingDetailSchema>;

/** GET /api/lectures/:id/recordings (newest first). */
export const recordingListSchema = z.object({ recordings: z.array(recordingSummarySchema) });
export type RecordingList = z.infer<typeof recordingListSchema>;
