import type { PeerView } from '@teleclass/shared';

/** Who is watching, classrooms first. */
export function ParticipantList({ peers, activeSpeakerId }: { peers: readonly PeerView[]; activeSpeakerId?: string | null }) {
  const sites = peers.filter((p) => p.role === 'site');
  const attendees = peers.filter((p) => p.role === 'attendee');
  return (
    <div className="participants" data-testid="participant-list">
      <Group title="Classrooms" peers={sites} empty="No classroom yet" activeSpeakerId={activeSpeakerId} />
      <Group title="Attendees" peers={attendees} empty="No attendee yet" activeSpeakerId={activeSpeakerId} />
    </div>
  );
}

function Group({ title, peers, empty, activeSpeakerId }: { title: string; peers: PeerView[]; empty: string; activeSpeakerId?: string | null | undefined }) {
  return (
    <section className="participants__group">
      <h3>
        {title} <span className="participants__count">{peers.length}</span>
      </h3>
      {peers.length === 0 ? (
        <p className="participants__empty">{empty}</p>
      ) : (
        <ul>
          {peers.map((peer) => (
            <li key={peer.id} className={peer.id === activeSpeakerId ? 'participants__speaking' : undefined}>
              {peer.displayName}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
