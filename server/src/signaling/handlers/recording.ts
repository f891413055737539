import { TeleclassError, type LectureView } from '@teleclass/shared';
import type { Handler } from '../context.js';

// In a cluster: run on the lecture's origin, which holds the studio's streams and the room's REC (deps.rooms.forward).

/** The trainer starts recording the live lecture; everyone sees REC (LectureView.recordingSince). */
export const startRecording: Handler<'startRecording'> = async ({ room }, _req, { recordings, rooms }) =>
  ((await rooms?.forward(room, { op: 'startRecording' })) as LectureView | undefined) ?? recordings.start(room);

/** REC goes off at once; the raw files are finished and queued for post-processing behind the answer. */
export const stopRecording: Handler<'stopRecording'> = async ({ room }, _req, { recordings, logger, rooms }) => {
  const forwarded = rooms?.forward(room, { op: 'stopRecording' }) as Promise<LectureView> | undefined;
  if (forwarded) return forwarded;
  if (!recordings.isRecording(room.lecture.id)) throw new TeleclassError('INVALID_STATE', 'The lecture is not being recorded.');
  recordings.stop(room.lecture.id).catch((err: unknown) => logger.error({ err, lectureId: room.lecture.id }, 'stopping the recording failed'));
  return room.lecture.view();
};
