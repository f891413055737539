import { Router } from 'express';
import { DEFAULT_LANGUAGE, requestLanguage, type AttendanceReport } from '@teleclass/shared';
import { attendanceCsv } from '../../store/attendanceCsv.js';
import { summarizeAttendance } from '../../store/attendanceSummary.js';
import type { ApiDeps } from './context.js';
import { lectureOf } from './lectures.js';

/** GET /lectures/:id/attendance (JSON) and /lectures/:id/attendance.csv */
export function attendanceRoutes(deps: ApiDeps): Router {
  const router = Router();
  const now = deps.now ?? Date.now;

  router.get('/lectures/:id/attendance', async (req, res) => {
    const lecture = await lectureOf(deps, req);
    const records = await deps.store.listAttendance(lecture.id);
    res.json({ records, ...summarizeAttendance(records, now(), lecture.sites) } satisfies AttendanceReport);
  });

  router.get('/lectures/:id/attendance.csv', async (req, res) => {
    const lecture = await lectureOf(deps, req);
    // In the reader's language: ?lang= (the admin page sends its own), else Accept-Language, else Azerbaijani.
    const language = requestLanguage(req.query['lang'], req.get('accept-language')) ?? DEFAULT_LANGUAGE;
    const csv = attendanceCsv(lecture.id, await deps.store.listAttendance(lecture.id), now(), language);
    res
      .status(200)
      .vary('Accept-Language')
      .type('text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="attendance-${lecture.id}.csv"`)
      .send(csv);
  });

  return router;
}
