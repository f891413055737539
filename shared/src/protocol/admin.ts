/**
 * The admin REST API (/api, `Authorization: Bearer <admin token>`): request bodies and answers,
 * defined once for the server's routes and the admin page. Errors are `{ error: { code, message } }`.
 */
import { z } from 'zod';
import { displayNameSchema, lectureIdSchema, lectureStateSchema } from '../domain.js';
import { languageSchema } from './stored.js';

const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

export const siteNameSchema = z
  .string()
  .trim()
  .min(1, 'a site name must not be empty')
  .max(60, 'a site name has at most 60 characters')
  .refine(noControl, 'no control characters');

/** POST /api/lectures */
export const createLectureRequestSchema = z.strictObject({
  title: z.string().trim().min(1, 'a title is needed').max(200, 'at most 200 characters').refine(noControl, 'no control characters'),
  scheduledStart: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-03-02T10:00:00+04:00' })
    .refine((s) => !Number.isNaN(Date.parse(s)), 'is not a real date'),
  trainerName: displayNameSchema,
  sites: z
    .array(siteNameSchema)
    .max(50, 'at most 50 sites')
    .refine((sites) => new Set(sites.map((s) => s.toLowerCase())).size === sites.length, 'site names must be unique')
    .default([]),
  locked: z.boolean().optional(),
  autoRecord: z.boolean().optional(),
  /** Classrooms from the registry (/api/sites): their kiosks join by themselves when the lecture goes live. */
  siteIds: z
    .array(lectureIdSchema)
    .max(50, 'at most 50 sites')
    .refine((ids) => new Set(ids).size === ids.length, 'site ids must be unique')
    .default([]),
  /**
   * A recurring lecture: an RFC 5545 RRULE without DTSTART (the start is `scheduledStart`), e.g.
   * `FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10`. Each occurrence becomes its own lecture sharing a series id.
   */
  recurrence: z
    .string()
    .trim()
    .max(300, 'at most 300 characters')
    .regex(/^(RRULE:)?[A-Z]+=[A-Z0-9,+-]+(;[A-Z]+=[A-Z0-9,+-]+)*$/i, 'must be an RRULE such as FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10')
    .optional(),
  /** The language the composed MP4's chapter titles are written in: az (default), ru or en. */
  language: languageSchema.optional(),
});
/** What a caller sends (sites may be left out). */
export type CreateLectureRequest = z.input<typeof createLectureRequestSchema>;

/** A stored lecture as the API shows it. */
export const adminLectureSchema = z.object({
  id: lectureIdSchema,
  title: z.string(),
  /** ISO 8601. */
  scheduledStart: z.string(),
  trainerName: z.string(),
  sites: z.array(z.string()),
  /** The registry's sites among `sites` (the rest are one-off names). */
  siteIds: z.array(z.string()).default([]),
  locked: z.boolean(),
  autoRecord: z.boolean(),
  /** Occurrences of one recurring lecture share a series id (null: a one-off lecture). */
  seriesId: z.string().nullable().default(null),
  /** The series' RRULE, e.g. `FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10`. */
  recurrence: z.string().nullable().default(null),
  /** The language of the composed MP4's chapter titles. */
  language: languageSchema.default('az'),
  state: lectureStateSchema,
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  createdAt: z.number(),
});
export type AdminLecture = z.infer<typeof adminLectureSchema>;

/** The signed join links of a lecture: one for the trainer, one per site, one to share with attendees. */
export const lectureLinksSchema = z.object({
  trainer: z.string(),
  sites: z.array(z.object({ site: z.string(), url: z.string() })),
  attendee: z.string(),
  /** ISO 8601: when these links stop working. */
  expiresAt: z.string(),
  /** The lecture's iCalendar feed (with the rest of its series) for attendees; it does not expire. */
  calendar: z.string().optional(),
});
export type LectureLinks = z.infer<typeof lectureLinksSchema>;

/** The answer of POST /api/lectures (201) and GET /api/lectures/:id. */
export const lectureWithLinksSchema = z.object({ lecture: adminLectureSchema, links: lectureLinksSchema });
export type LectureWithLinks = z.infer<typeof lectureWithLinksSchema>;

/** The answer of GET /api/lectures. */
export const lectureListSchema = z.object({ lectures: z.array(adminLectureSchema) });

/**
 * POST /api/lectures/:id/links/rotate: new links; the old ones stop working at once and whoever
 * is connected with one is let go. No body (or `{}`): every link of the lecture; `{ role }`: that
 * role's links (attendee: the shared link and every personal token made from it); `{ role:
 * 'site', site }`: one classroom's link.
 */
export const rotateLinksRequestSchema = z
  .strictObject({
    role: z.enum(['trainer', 'attendee', 'site']).optional(),
    site: siteNameSchema.optional(),
  })
  .refine((r) => r.site === undefined || r.role === 'site', { message: 'site is given only with role "site"', path: ['site'] });
export type RotateLinksRequest = z.input<typeof rotateLinksRequestSchema>;

/** The answer of POST /api/lectures/:id/links/rotate: the lecture, its links now, and the scopes rotated. */
export const rotatedLinksSchema = lectureWithLinksSchema.extend({ rotated: z.array(z.string()) });
export type RotatedLinks = z.infer<typeof rotatedLinksSchema>;

/** The answer of GET /api/lectures. */
export type LectureList = z.infer<typeof lectureListSchema>;

/** The answer of POST /api/lectures (201): a recurring lecture's answer also lists every occurrence. */
export const createdLectureSchema = lectureWithLinksSchema.extend({
  series: z.object({ id: z.string(), recurrence: z.string(), lectures: z.array(adminLectureSchema) }).optional(),
});
export type CreatedLecture = z.infer<typeof createdLectureSchema>;
