import { TeleclassError } from '@teleclass/shared';
import type { Handler } from '../context.js';

/** The trainer starts recording the live lecture; everyone sees REC (LectureView.recordingSince). */
export const startRecording: Handler<'startRecording'> = async ({ room }, _req, { recordings }) => recordings.start(room);

/** REC goes off at once; the raw files are finished and queued for post-processing behind the answer. */
export const stopRecording: Handler<'stopRecording'> = async ({ room }, _req, { recordings, logger }) => {
  if (!recordings.isRecording(room.lecture.id)) throw new TeleclassError('INVALID_STATE', 'The lecture is not being recorded.');
  recordings.stop(room.lecture.id).catch((err: unknown) => logger.error({ err, lectureId: room.lecture.id }, 'stopping the recording failed'));
  return room.lecture.view();
};
