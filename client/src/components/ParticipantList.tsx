import { useTranslation } from 'react-i18next';
import { VolumeX } from 'lucide-react';
import { useState } from 'react';
import type { PeerView, RemovalView } from '@teleclass/shared';

/** What the trainer may do to a participant. */
export interface Moderation {
  /** Whether this peer's microphone is heard now. */
  sendsSound: (peerId: string) => boolean;
  onMute: (peerId: string) => void;
  onRemove: (peerId: string) => void;
  /** Lets a removed person back in. */
  onRestore: (identity: string) => void;
}

export interface ParticipantListProps {
  peers: readonly PeerView[];
  /** Who the trainer removed (shown with "Allow back" to the trainer). */
  removed?: readonly RemovalView[];
  /** Classrooms whose connection dropped and that are not back (red rows). */
  droppedSites?: readonly { name: string; at: number }[];
  activeSpeakerId?: string | null;
  moderation?: Moderation;
}

/** Who is watching, classrooms first, "sound blocked" where a browser refuses to play; the trainer may mute and remove. */
export function ParticipantList({ peers, removed = [], droppedSites = [], activeSpeakerId, moderation }: ParticipantListProps) {
  const { t } = useTranslation();
  const sites = peers.filter((p) => p.role === 'site');
  const attendees = peers.filter((p) => p.role === 'attendee');
  const group = { activeSpeakerId: activeSpeakerId ?? null, moderation };
  return (
    <div className="participants" data-testid="participant-list">
      <Group title={t('people.classrooms')} peers={sites} empty={droppedSites.length ? '' : t('people.noClassroom')} {...group}>
        {droppedSites.map((d) => (
          <li key={d.name} className="participants__dropped" data-testid={`site-dropped-${d.name}`}>
            <span className="participants__name">{d.name}</span>
            <span className="participants__status">{t('people.connectionLost')}</span>
          </li>
        ))}
      </Group>
      <Group title={t('people.attendees')} peers={attendees} empty={t('people.noAttendee')} {...group} />
      {moderation && removed.length > 0 && <RemovedGroup removed={removed} onRestore={moderation.onRestore} />}
    </div>
  );
}

/** People the trainer removed: their link and their browser are refused until allowed back. */
function RemovedGroup({ removed, onRestore }: { removed: readonly RemovalView[]; onRestore: (identity: string) => void }) {
  const { t } = useTranslation();
  return (
    <section className="participants__group" data-testid="removed-list">
      <h3>
        {t('people.removed')} <span className="participants__count">{removed.length}</span>
      </h3>
      <ul>
        {removed.map((r) => (
          <li key={r.identity}>
            <span className="participants__name">{r.displayName || r.identity}</span>
            <span className="participants__actions">
              <button
                type="button"
                className="button button--small"
                data-testid={`restore-${r.displayName}`}
                onClick={() => onRestore(r.identity)}
              >
                {t('people.allowBack')}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface GroupProps {
  title: string;
  peers: PeerView[];
  empty: string;
  activeSpeakerId: string | null;
  moderation: Moderation | undefined;
  /** Rows after the peers (the classrooms that dropped). */
  children?: React.ReactNode;
}

function Group({ title, peers, empty, activeSpeakerId, moderation, children }: GroupProps) {
  const { t } = useTranslation();
  const extra = Array.isArray(children) ? children.length > 0 : Boolean(children);
  return (
    <section className="participants__group">
      <h3>
        {title} <span className="participants__count">{peers.length}</span>
      </h3>
      {peers.length === 0 && !extra ? (
        <p className="participants__empty">{empty}</p>
      ) : (
        <ul>
          {children}
          {peers.map((peer) => (
            <li key={peer.id} className={peer.id === activeSpeakerId ? 'participants__speaking' : undefined}>
              <span className="participants__name">
                {peer.displayName}
                {peer.soundBlocked && (
                  <span className="participants__sound-blocked" data-testid={`sound-blocked-${peer.displayName}`} title={t('people.soundBlockedHint')}>
                    <VolumeX className="icon" aria-hidden="true" /> {t('people.soundBlocked')}
                  </span>
                )}
              </span>
              {moderation && <PeerActions peer={peer} moderation={moderation} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Mute (while they are heard) and Remove, which asks once more before it acts. */
function PeerActions({ peer, moderation }: { peer: PeerView; moderation: Moderation }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const name = peer.displayName;
  if (confirming) {
    return (
      <span className="participants__actions participants__confirm" role="group" aria-label={t('people.removeAsk', { name })}>
        <span>{t('people.removeAsk', { name })}</span>
        <button
          type="button"
          className="button button--danger button--small"
          data-testid={`confirm-remove-${name}`}
          onClick={() => {
            setConfirming(false);
            moderation.onRemove(peer.id);
          }}
        >
          {t('people.remove')}
        </button>
        <button type="button" className="button button--small" onClick={() => setConfirming(false)}>
          {t('common.cancel')}
        </button>
      </span>
    );
  }
  return (
    <span className="participants__actions">
      {moderation.sendsSound(peer.id) && (
        <button type="button" className="button button--small" data-testid={`participant-mute-${name}`} onClick={() => moderation.onMute(peer.id)}>
          {t('people.mute')}
        </button>
      )}
      <button type="button" className="button button--small button--quiet" data-testid={`remove-${name}`} onClick={() => setConfirming(true)}>
        {t('people.remove')}
      </button>
    </span>
  );
}
