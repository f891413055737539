import { useParams } from 'react-router';
import { isLectureId } from '@teleclass/shared/limits';

/** The `:lectureId` of the address, or null when it is not a valid lecture id (lectureIdSchema's rule). */
export function useLectureId(): string | null {
  const { lectureId } = useParams();
  return isLectureId(lectureId) ? lectureId : null;
}
