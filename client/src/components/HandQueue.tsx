import type { HandView } from '@teleclass/shared';
import { timeAgo } from '../view/time.js';
import { HandIcon } from './HandIcon.js';

export interface HandQueueProps {
  hands: readonly HandView[];
  now: number;
  /** The floor can be given only while the lecture is live and fewer than STAGE_SIZE have it. */
  floor: 'open' | 'not-live' | 'full';
  onGiveFloor: (peerId: string) => void;
  onDismiss: (peerId: string) => void;
}

/** Raised hands, oldest first: who, from where, since when; give the floor or dismiss. */
const FLOOR_HINT = { open: undefined, 'not-live': 'Go live first', full: 'Take the floor back from someone first' } as const;

export function HandQueue({ hands, now, floor, onGiveFloor, onDismiss }: HandQueueProps) {
  return (
    <section className="panel hand-queue" data-testid="hand-queue" aria-label="Raised hands">
      <h2 className="panel__title">
        Raised hands <span className="panel__count">{hands.length}</span>
      </h2>
      {hands.length === 0 ? (
        <p className="panel__empty">No hands raised.</p>
      ) : (
        <ol className="hand-queue__list">
          {hands.map((hand) => (
            <li key={hand.peerId} className="hand-queue__item" data-testid={`hand-${hand.displayName}`}>
              <div className="hand-queue__who">
                <span className="hand-queue__name">
                  <HandIcon className="hand-queue__icon" /> {hand.displayName}
                </span>
                <span className="hand-queue__meta">
                  {hand.role === 'site' ? `Classroom ${hand.site ?? hand.displayName}` : 'Online attendee'} · {timeAgo(hand.raisedAt, now)}
                </span>
              </div>
              <div className="hand-queue__actions">
                <button
                  type="button"
                  className="button button--primary button--small"
                  data-testid="give-floor"
                  disabled={floor !== 'open'}
                  title={FLOOR_HINT[floor]}
                  onClick={() => onGiveFloor(hand.peerId)}
                >
                  Give the floor
                </button>
                <button type="button" className="button button--small" data-testid="dismiss-hand" onClick={() => onDismiss(hand.peerId)}>
                  Dismiss
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
