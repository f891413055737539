import { z } from 'zod';
import { CHAT_MAX_LENGTH, CONTROL_CHARACTER, DISPLAY_NAME_MAX_LENGTH, LECTURE_ID_MAX_LENGTH, LECTURE_ID_PATTERN } from './limits.js';

export { CHAT_MAX_LENGTH };

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
  .max(LECTURE_ID_MAX_LENGTH)
  .regex(LECTURE_ID_PATTERN, 'lowercase letters, digits and dashes');

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'a name is needed')
  .max(DISPLAY_NAME_MAX_LENGTH, `at most ${DISPLAY_NAME_MAX_LENGTH} characters`)
  .refine((s) => !CONTROL_CHARACTER.test(s), 'no control characters');

export const idSchema = z.string().min(1).max(64);

export const peerViewSchema = z.object({
  id: idSchema,
  role: roleSchema,
  displayName: z.string(),
  /** The classroom's name for a site; null otherwise. */
  site: z.string().nullable(),
  joinedAt: z.number(),
  /** Its browser refuses to play the lecture's sound until someone clicks (`reportPlayback`). */
  soundBlocked: z.boolean(),
});
export type PeerView = z.infer<typeof peerViewSchema>;

/** A raised hand, in the order hands were raised. */
export const handViewSchema = z.object({
  peerId: idSchema,
  displayName: z.string(),
  role: roleSchema,
  site: z.string().nullable(),
  raisedAt: z.number(),
});
export type HandView = z.infer<typeof handViewSchema>;

/** Someone who has the floor: every viewer gets their camera and microphone. */
export const stageViewSchema = z.object({
  peerId: idSchema,
  displayName: z.string(),
  role: roleSchema,
  site: z.string().nullable(),
  since: z.number(),
});
export type StageView = z.infer<typeof stageViewSchema>;

/** An attendee waiting in the lobby of a locked lecture. */
export const lobbyViewSchema = z.object({ peerId: idSchema, displayName: z.string(), since: z.number() });
export type LobbyView = z.infer<typeof lobbyViewSchema>;

/** Someone the trainer removed (only the trainer sees these, to let someone back in). */
export const removalViewSchema = z.object({
  /** The person's stable identity: what `restoreParticipant` names. */
  identity: z.string().max(128),
  displayName: z.string(),
  role: roleSchema,
  removedAt: z.number(),
});
export type RemovalView = z.infer<typeof removalViewSchema>;

export const chatMessageViewSchema = z.object({
  id: idSchema,
  /** The author's stable identity (compare with `self.identity` to find one's own messages). */
  authorId: z.string(),
  authorName: z.string(),
  authorRole: roleSchema,
  site: z.string().nullable(),
  text: z.string(),
  isQuestion: z.boolean(),
  answeredAt: z.number().nullable(),
  createdAt: z.number(),
});
export type ChatMessageView = z.infer<typeof chatMessageViewSchema>;

export const attendanceSummarySchema = z.object({
  perPerson: z.array(
    z.object({
      identity: z.string(),
      role: roleSchema,
      name: z.string(),
      site: z.string().nullable(),
      sessions: z.number(),
      totalSeconds: z.number(),
      present: z.boolean(),
    }),
  ),
  perSite: z.array(z.object({ site: z.string(), people: z.number(), totalSeconds: z.number() })),
});
export type AttendanceSummary = z.infer<typeof attendanceSummarySchema>;

export const producerViewSchema = z.object({
  id: idSchema,
  peerId: idSchema,
  kind: mediaKindSchema,
  source: mediaSourceSchema,
  paused: z.boolean(),
  /**
   * Whether the server receives its media (false after a second or two without RTP: the sender's
   * connection dropped). A viewer tells "the trainer dropped" from "my own connection stalls" by it.
   */
  flowing: z.boolean().default(true),
});
export type ProducerView = z.infer<typeof producerViewSchema>;

export const lectureViewSchema = z.object({
  id: lectureIdSchema,
  title: z.string(),
  scheduledStart: z.string(),
  state: lectureStateSchema,
  /** New attendees wait in the lobby until the trainer admits them (sites always get in). */
  locked: z.boolean(),
  /** How many participants may have the floor at once (STAGE_SIZE). */
  stageSize: z.number().int().positive(),
  /** When the running recording started; null when nothing is recorded (the REC badge). */
  recordingSince: z.number().nullable(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  counts: z.object({ trainers: z.number(), sites: z.number(), attendees: z.number() }),
});
export type LectureView = z.infer<typeof lectureViewSchema>;
