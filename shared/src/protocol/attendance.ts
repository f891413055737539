/** GET /api/lectures/:id/attendance (admin token): every presence on record, and the summary the studio shows. */
import { z } from 'zod';
import { roleSchema } from '../domain.js';

/** One stretch of one person's presence (a reconnect starts another). */
export const attendanceRecordSchema = z.object({
  id: z.string(),
  lectureId: z.string(),
  identity: z.string(),
  role: roleSchema,
  name: z.string(),
  site: z.string().nullable(),
  joinedAt: z.number(),
  /** null while present. */
  leftAt: z.number().nullable(),
  /** Why the stretch ended ('left', 'disconnected', 'removed', 'server-restart' …); null while present. */
  leftReason: z.string().nullable(),
  lastSeenAt: z.number(),
});
export type AttendanceRecordView = z.infer<typeof attendanceRecordSchema>;

/** One person's presence over the lecture (their records taken together). */
export const personAttendanceSchema = z.object({
  identity: z.string(),
  role: roleSchema,
  name: z.string(),
  site: z.string().nullable(),
  /** Number of join/leave records. */
  sessions: z.number(),
  /** Time present, overlapping sessions counted once, whole seconds. */
  totalSeconds: z.number(),
  firstJoinedAt: z.number(),
  /** When the last session ended; null while one is still open. */
  lastLeftAt: z.number().nullable(),
});

export const attendanceReportSchema = z.object({
  records: z.array(attendanceRecordSchema),
  perPerson: z.array(personAttendanceSchema),
  /** People (the kiosk included) and their summed time under each classroom. */
  perSite: z.array(z.object({ site: z.string(), people: z.number(), totalSeconds: z.number() })),
});
export type AttendanceReport = z.infer<typeof attendanceReportSchema>;
