import type { LectureState } from '@teleclass/shared';

/** The lecture state as a small badge; its text is exactly the state word (tests read it). */
export function StateBadge({ state }: { state: LectureState }) {
  return (
    <span className={`state-badge state-badge--${state}`} data-testid="lecture-state" data-state={state}>
      {state}
    </span>
  );
}
