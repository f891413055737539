/**
 * Received tracks arranged by whom they come from: the trainer (camera, slides, microphone) and
 * the people who have the floor. Pure, so it is unit-tested in node.
 */
import type { PeerView, StageView } from '@teleclass/shared';
import type { RemoteMedia, RemoteTracks, StageFeed } from './sessionState.js';

/**
 * `media` is every live consumer, oldest first. A track belongs to the stage when its peer is on
 * stage or is known to be a site or an attendee; everything else is the trainer's. The newest
 * track of a kind wins (a peer that reconnected briefly has two producers). Oneself is left out
 * of the stage feeds (nobody receives their own media).
 */
export function arrangeRemote(
  media: readonly RemoteMedia[],
  stage: readonly StageView[],
  peers: readonly PeerView[],
  selfId: string | null,
): RemoteTracks {
  const onStage = new Set(stage.map((s) => s.peerId));
  const audienceIds = new Set(peers.filter((p) => p.role !== 'trainer').map((p) => p.id));
  let camera: RemoteMedia | null = null;
  let screen: RemoteMedia | null = null;
  const audio: RemoteMedia[] = [];
  const byPeer = new Map<string, { camera: RemoteMedia | null; microphone: RemoteMedia | null }>();
  for (const m of media) {
    if (m.kind === 'audio') audio.push(m);
    if (onStage.has(m.peerId) || audienceIds.has(m.peerId)) {
      const entry = byPeer.get(m.peerId) ?? { camera: null, microphone: null };
      if (m.kind === 'audio') entry.microphone = m;
      else if (m.source === 'camera') entry.camera = m;
      byPeer.set(m.peerId, entry);
    } else if (m.kind === 'video') {
      if (m.source === 'screen') screen = m;
      // The newest camera wins, but one that flows beats a paused one (the studio feed and the
      // browser camera take turns on air: the one off air is paused on the server).
      else if (!camera || !m.paused || camera.paused) camera = m;
    }
  }
  const feeds: StageFeed[] = stage
    .filter((s) => s.peerId !== selfId)
    .map((s) => ({
      peerId: s.peerId,
      displayName: s.displayName,
      role: s.role,
      site: s.site,
      camera: byPeer.get(s.peerId)?.camera ?? null,
      microphone: byPeer.get(s.peerId)?.microphone ?? null,
    }));
  return { camera, screen, audio, stage: feeds };
}
