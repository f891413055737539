import type { LectureView } from '@teleclass/shared';

/**
 * When the REC badge's recording started, or null for no badge. An ended lecture records nothing
 * (every recording stops with the end), whatever order the views of its end and of the recording's
 * stop arrive in (before the merge of main's hardening the 'ended' view came last, still saying REC).
 */
export function recordingSince(lecture: Pick<LectureView, 'state' | 'recordingSince'> | null | undefined): number | null {
  if (!lecture || lecture.state === 'ended') return null;
  return lecture.recordingSince;
}
