import { z } from 'zod';

export const roleSchema = z.enum(['trainer', 'site', 'attendee']);
export type Role = z.infer<typeof roleSchema>;

export const lectureStateSchema = z.enum(['waiting', 'live', 'ended']);
export type LectureState = z.infer<typeof lectureStateSchema>;

export const mediaSourceSchema = z.enum(['camera', 'microphone', 'screen']);
export type MediaSource = z.infer<typeof mediaSourceSchema>;

export const mediaKindSchema = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof mediaKindSchema>;

/** A lecture id: a slug such as `demo` or `budget-law-2026-11`. */
export const lectureIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and dashes');

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'a name is needed')
  .max(60, 'at most 60 characters')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'no control characters');

export const idSchema = z.string().min(1).max(64);

export const peerViewSchema = z.object({
  id: idSchema,
  role: roleSchema,
  displayName: z.string(),
  joinedAt: z.number(),
});
export type PeerView = z.infer<typeof peerViewSchema>;

export const producerViewSchema = z.object({
  id: idSchema,
  peerId: idSchema,
  kind: mediaKindSchema,
  source: mediaSourceSchema,
  paused: z.boolean(),
});
export type ProducerView = z.infer<typeof producerViewSchema>;

export const lectureViewSchema = z.object({
  id: lectureIdSchema,
  state: lectureStateSchema,
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  counts: z.object({ trainers: z.number(), sites: z.number(), attendees: z.number() }),
});
export type LectureView = z.infer<typeof lectureViewSchema>;
