import { createLectureRequestSchema, lectureIdSchema } from '@teleclass/shared';

/** POST /api/lectures (the schema is shared with the admin page). */
export const createLectureBody = createLectureRequestSchema;

/** The `:id` of lecture routes. */
export const lectureIdParam = lectureIdSchema;
