import { useTranslation } from 'react-i18next';
import type { StageView } from '@teleclass/shared';
import { sendsSound } from '../view/floor.js';
import type { StageTracks } from '../view/media.js';
import { timeAgo } from '../view/time.js';

export interface OnStagePanelProps {
  stage: readonly StageView[];
  /** Attendees invited to speak who have not answered yet. */
  invited?: readonly StageView[];
  remote: Pick<StageTracks, 'stage'>;
  now: number;
  onTakeFloor: (peerId: string) => void;
  onMute: (peerId: string) => void;
}

/** Who has the floor now: take it back, or mute them. */
export function OnStagePanel({ stage, invited = [], remote, now, onTakeFloor, onMute }: OnStagePanelProps) {
  const { t } = useTranslation();
  return (
    <section className="panel on-stage" data-testid="on-stage" aria-label={t('stage.title')}>
      <h2 className="panel__title">{t('stage.title')}</h2>
      {invited.length > 0 && (
        <ul className="on-stage__list">
          {invited.map((i) => (
            <li key={i.peerId} className="on-stage__item on-stage__item--invited" data-testid={`invited-${i.displayName}`}>
              <div className="on-stage__who">
                <span className="on-stage__name">{i.displayName}</span>
                <span className="on-stage__meta">{t('stage.invited', { ago: timeAgo(i.since, now, t) })}</span>
              </div>
              <div className="on-stage__actions">
                <button type="button" className="button button--small" onClick={() => onTakeFloor(i.peerId)}>
                  {t('stage.withdraw')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {stage.length === 0 ? (
        <p className="panel__empty">{t('stage.onlyYou')}</p>
      ) : (
        <ul className="on-stage__list">
          {stage.map((s) => {
            const audible = sendsSound(remote, s.peerId);
            return (
              <li key={s.peerId} className="on-stage__item">
                <div className="on-stage__who">
                  <span className="on-stage__name">
                    <span className="on-stage__dot" aria-hidden="true" /> {s.displayName}
                  </span>
                  <span className="on-stage__meta">
                    {t(s.role === 'site' ? 'stage.classroom' : 'hands.online')} · {t('stage.given', { ago: timeAgo(s.since, now, t) })}
                    {!audible && ` · ${t('stage.noSound')}`}
                  </span>
                </div>
                <div className="on-stage__actions">
                  {audible && (
                    <button type="button" className="button button--small" data-testid={`mute-${s.displayName}`} onClick={() => onMute(s.peerId)}>
                      {t('people.mute')}
                    </button>
                  )}
                  <button
                    type="button"
                    className="button button--danger button--small"
                    data-testid={`take-floor-${s.displayName}`}
                    onClick={() => onTakeFloor(s.peerId)}
                  >
                    {t('stage.takeBack')}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
