import { z } from 'zod';
import { displayNameSchema, lectureIdSchema } from '@teleclass/shared';

const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

export const siteNameSchema = z
  .string()
  .trim()
  .min(1, 'a site name must not be empty')
  .max(60, 'a site name has at most 60 characters')
  .refine(noControl, 'no control characters');

/** POST /api/lectures */
export const createLectureBody = z.strictObject({
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
});
export type CreateLectureBody = z.infer<typeof createLectureBody>;

/** The `:id` of lecture routes. */
export const lectureIdParam = lectureIdSchema;
