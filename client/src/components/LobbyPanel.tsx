import { useTranslation } from 'react-i18next';
import type { LobbyView } from '@teleclass/shared';
import { timeAgo } from '../view/time.js';

export interface LobbyPanelProps {
  locked: boolean;
  waiting: readonly LobbyView[];
  now: number;
  disabled?: boolean;
  onSetLocked: (locked: boolean) => void;
  onAdmit: (peerId: string) => void;
}

/** Locking the lecture (new attendees wait to be let in) and the people waiting. */
export function LobbyPanel({ locked, waiting, now, disabled, onSetLocked, onAdmit }: LobbyPanelProps) {
  const { t } = useTranslation();
  return (
    <section className="panel lobby-panel" aria-label={t('lobby.title')}>
      <div className="lobby-panel__head">
        <h2 className="panel__title">
          {t('lobby.title')} <span className="panel__count">{waiting.length}</span>
        </h2>
        <label className="toggle">
          <input
            type="checkbox"
            data-testid="lock-lecture"
            checked={locked}
            disabled={disabled}
            onChange={(event) => onSetLocked(event.target.checked)}
          />
          <span>{t(locked ? 'lobby.locked' : 'lobby.lock')}</span>
        </label>
      </div>
      <div data-testid="lobby">
        {waiting.length === 0 ? (
          <p className="panel__empty">{t(locked ? 'lobby.nobody' : 'lobby.straightIn')}</p>
        ) : (
          <ul className="lobby-panel__list">
            {waiting.map((w) => (
              <li key={w.peerId} className="lobby-panel__item">
                <span>
                  {w.displayName} <span className="lobby-panel__meta">· {timeAgo(w.since, now, t)}</span>
                </span>
                <button type="button" className="button button--primary button--small" data-testid={`admit-${w.displayName}`} onClick={() => onAdmit(w.peerId)}>
                  {t('lobby.admit')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
