import type { Handler } from '../context.js';

/**
 * A site or attendee whose browser blocks (or no longer blocks) the lecture's sound: kept on the
 * participant, and the lecture is told of a change (the studio shows "sound blocked").
 */
export const reportPlayback: Handler<'reportPlayback'> = async ({ room, participant }, req, { notify }) => {
  if (participant.setSoundBlocked(req.soundBlocked)) notify.lecture(room.lecture.id, 'participantUpdated', participant.view(), participant.id);
  return {};
};
