/**
 * The recording library API (/api/recordings, /api/lectures/:id/recordings): answers, defined once
 * for the server's routes and the pages that list and play recordings.
 */
import { z } from 'zod';
import { lectureIdSchema, mediaKindSchema, mediaSourceSchema, roleSchema } from '../domain.js';
import { storedChapterSchema } from './stored.js';

export const recordingIdSchema = z.uuid();

export const recordingStatusSchema = z.enum(['recording', 'stopped', 'interrupted', 'processing', 'ready', 'failed']);
export type RecordingStatusView = z.infer<typeof recordingStatusSchema>;

/** A stretch of the composed video, in ms from its start. */
export const recordingSpanSchema = z.object({ fromMs: z.number(), toMs: z.number() });

/**
 * What the check after composing found wrong with a recording that is still 'ready' (kinds and
 * figures, not sentences: the pages word them):
 * - `black`: the picture is black for `blackMs` (in `spans`, the longest first, at most 10) while
 *   a camera or slides were on;
 * - `duration`: the video is `actualMs` long where `expectedMs` were recorded;
 * - `unchecked`: the check itself could not run (`reason`).
 */
export const recordingWarningSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('black'), blackMs: z.number(), spans: z.array(recordingSpanSchema) }),
  z.object({ kind: z.literal('duration'), expectedMs: z.number(), actualMs: z.number() }),
  z.object({ kind: z.literal('unchecked'), reason: z.string() }),
]);
export type RecordingWarning = z.infer<typeof recordingWarningSchema>;

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
  /** A 'ready' recording the check after composing found fault with (empty: none; older servers send none). */
  warnings: z.array(recordingWarningSchema).default([]),
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
  /**
   * Video: every change of the simulcast layer the recorder received (ms from the recording's
   * start; spatial 0 is the smallest). Absent when it never changed or the stream has one layer.
   */
  layers: z.array(z.object({ atMs: z.number(), spatialLayer: z.number(), temporalLayer: z.number().optional() })).optional(),
  /** Video: the picture size from each change on (ms from the file's start), found when composing. */
  sizes: z.array(z.object({ atMs: z.number(), width: z.number(), height: z.number() })).optional(),
});

/** A chapter as stored: a kind and names; the page puts it into words (chapterTitle in shared/src/stored.ts). */
export const recordingChapterViewSchema = storedChapterSchema;

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
