import { useParams } from 'react-router';
import { lectureIdSchema } from '@teleclass/shared';

/** The `:lectureId` of the address, or null when it is not a valid lecture id. */
export function useLectureId(): string | null {
  const { lectureId } = useParams();
  const parsed = lectureIdSchema.safeParse(lectureId);
  return parsed.success ? parsed.data : null;
}
