import type { StageView } from '@teleclass/shared';
import { sendsSound } from '../media/remoteTracks.js';
import type { RemoteTracks } from '../media/sessionState.js';
import { timeAgo } from '../view/time.js';

export interface OnStagePanelProps {
  stage: readonly StageView[];
  /** Attendees invited to speak who have not answered yet. */
  invited?: readonly StageView[];
  remote: RemoteTracks;
  now: number;
  onTakeFloor: (peerId: string) => void;
  onMute: (peerId: string) => void;
}

/** Who has the floor now: take it back, or mute them. */
export function OnStagePanel({ stage, invited = [], remote, now, onTakeFloor, onMute }: OnStagePanelProps) {
  return (
    <section className="panel on-stage" data-testid="on-stage" aria-label="On stage">
      <h2 className="panel__title">On stage</h2>
      {invited.length > 0 && (
        <ul className="on-stage__list">
          {invited.map((i) => (
            <li key={i.peerId} className="on-stage__item on-stage__item--invited" data-testid={`invited-${i.displayName}`}>
              <div className="on-stage__who">
                <span className="on-stage__name">{i.displayName}</span>
                <span className="on-stage__meta">Invited {timeAgo(i.since, now)} · waiting for an answer</span>
              </div>
              <div className="on-stage__actions">
                <button type="button" className="button button--small" onClick={() => onTakeFloor(i.peerId)}>
                  Withdraw
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {stage.length === 0 ? (
        <p className="panel__empty">Only you have the floor.</p>
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
                    {s.role === 'site' ? 'Classroom' : 'Online attendee'} · floor given {timeAgo(s.since, now)}
                    {!audible && ' · no sound'}
                  </span>
                </div>
                <div className="on-stage__actions">
                  {audible && (
                    <button type="button" className="button button--small" data-testid={`mute-${s.displayName}`} onClick={() => onMute(s.peerId)}>
                      Mute
                    </button>
                  )}
                  <button
                    type="button"
                    className="button button--danger button--small"
                    data-testid={`take-floor-${s.displayName}`}
                    onClick={() => onTakeFloor(s.peerId)}
                  >
                    Take the floor back
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
