import { TeleclassError, type LectureView } from '@teleclass/shared';
import type { Handler } from '../context.js';

/**
 * Goes live. The answer is the lecture as it is once everything that follows the start has run
 * (an automatic recording sets `recordingSince`), never the view from before: the studio folds
 * the answer in after the notifications, so a stale view would hide its own REC badge.
 */
export const startLecture: Handler<'startLecture'> = async ({ room }, _req, { recordings, rooms }) => {
  // In a cluster the lecture's origin goes live (deps.rooms.forward); this node's copy follows.
  const forwarded = rooms?.forward(room, { op: 'start' }) as Promise<LectureView> | undefined;
  if (forwarded) return forwarded;
  room.start();
  await recordings.started(room.lecture.id); // the automatic recording reads the store first
  return room.lecture.view();
};

export const endLecture: Handler<'endLecture'> = async ({ room }, _req, { rooms }) =>
  ((await rooms?.forward(room, { op: 'end' })) as LectureView | undefined) ?? room.end();

/** After the end: a viewing link to the lecture's newest recording that is not failed, or null. */
export const recordingLink: Handler<'recordingLink'> = async ({ room }, _req, { store, tokens, viewLinkHours }) => {
  if (room.lecture.state !== 'ended') throw new TeleclassError('INVALID_STATE', 'The recording is offered once the lecture has ended.');
  const recording = (await store.listRecordings(room.lecture.id)).find((r) => r.status !== 'failed');
  if (!recording) return { url: null };
  const token = await tokens.signView({ recordingId: recording.id }, new Date(Date.now() + viewLinkHours * 3_600_000));
  return { url: `/recordings/${encodeURIComponent(recording.id)}?token=${encodeURIComponent(token)}` };
};
