import type { LectureView } from '@teleclass/shared';

/**
 * When the REC badge's recording started, or null for no badge. An ended lecture records nothing
 * (every recording stops with the end), whatever an older view of it still says: the server can
 * deliver the "recording stopped" view before the "ended" view that was made a moment earlier.
 */
export function recordingSince(lecture: Pick<LectureView, 'state' | 'recordingSince'> | null | undefined): number | null {
  if (!lecture || lecture.state === 'ended') return null;
  return lecture.recordingSince;
}
