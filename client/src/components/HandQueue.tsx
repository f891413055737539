import { useTranslation } from 'react-i18next';
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
const FLOOR_HINT = { open: undefined, 'not-live': 'hands.goLiveFirst', full: 'hands.takeBackFirst' } as const;

export function HandQueue({ hands, now, floor, onGiveFloor, onDismiss }: HandQueueProps) {
  const { t } = useTranslation();
  return (
    <section className="panel hand-queue" data-testid="hand-queue" aria-label={t('hands.title')}>
      <h2 className="panel__title">
        {t('hands.title')} <span className="panel__count">{hands.length}</span>
      </h2>
      {hands.length === 0 ? (
        <p className="panel__empty">{t('hands.none')}</p>
      ) : (
        <ol className="hand-queue__list">
          {hands.map((hand) => (
            <li key={hand.peerId} className="hand-queue__item" data-testid={`hand-${hand.displayName}`}>
              <div className="hand-queue__who">
                <span className="hand-queue__name">
                  <HandIcon className="hand-queue__icon" /> {hand.displayName}
                </span>
                <span className="hand-queue__meta">
                  {hand.role === 'site' ? t('hands.classroom', { name: hand.site ?? hand.displayName }) : t('hands.online')} · {timeAgo(hand.raisedAt, now, t)}
                </span>
              </div>
              <div className="hand-queue__actions">
                <button
                  type="button"
                  className="button button--primary button--small"
                  data-testid="give-floor"
                  disabled={floor !== 'open'}
                  title={FLOOR_HINT[floor] && t(FLOOR_HINT[floor])}
                  onClick={() => onGiveFloor(hand.peerId)}
                >
                  {t('hands.giveFloor')}
                </button>
                <button type="button" className="button button--small" data-testid="dismiss-hand" onClick={() => onDismiss(hand.peerId)}>
                  {t('hands.dismiss')}
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
