import type { NotificationName, NotificationOf } from '@teleclass/shared';
import { describeError } from '@teleclass/shared/errors';
import type { SignalingClient } from '../signaling/SignalingClient.js';
import type { Broadcast } from './Broadcast.js';
import { sessionError, type SessionError } from './errors.js';
import { upsertMessage } from './floor.js';
import type { Reception } from './Reception.js';
import { addNotice, applyLobbyDelta, removePeer, trackSites, upsertPeer, type SessionState } from './sessionState.js';
import type { StageSender } from './StageSender.js';
import type { Store } from './Store.js';

/** What the server's notifications act on. */
export interface NotificationTargets {
  store: Store<SessionState>;
  reception: Reception;
  broadcast: Broadcast | null;
  sender: StageSender | null;
  onEnded(): void;
  syncStage(): void;
  mediaReset(reason: string): void;
  /** Sends `join` again (the lobby let us in). */
  enter(): void;
  fail(error: SessionError): void;
}

/** When a notification may apply: after the join answer (`ready`), else queued; some always. */
export interface NotificationGate {
  left(): boolean;
  ready(): boolean;
  queue(run: () => void): void;
}

type Entry<N extends NotificationName> = { handler: (data: NotificationOf<N>) => void; always?: boolean };
/** Pushes the signaling layer acts on by itself (signaling/nodeFailover.ts: which node serves the page). */
type SignalingOwned = 'cluster' | 'moveTo';
type Handlers = { [N in Exclude<NotificationName, SignalingOwned>]: Entry<N> };

function handlers(t: NotificationTargets): Handlers {
  const { store, reception, broadcast, sender } = t;
  return {
    studioFeed: { handler: (studioFeed) => store.update({ studioFeed }) },
    lectureState: {
      handler: (lecture) => {
        store.update({ lecture });
        if (lecture.state === 'ended') t.onEnded();
      },
      always: true, // also in the lobby (the lecture may end while someone waits)
    },
    participantJoined: {
      handler: (peer) => {
        if (peer.id !== store.get().self?.id) {
          store.update((s) => ({ peers: upsertPeer(s.peers, peer), droppedSites: trackSites(s.droppedSites, peer, 'joined') }));
        }
        reception.arrange();
      },
    },
    participantLeft: {
      handler: ({ peerId }) => {
        store.update((s) => {
          const gone = s.peers.find((p) => p.id === peerId);
          // The studio flags a classroom that dropped (a live lecture; a replaced kiosk comes back at once).
          const dropped = gone && s.role === 'trainer' && s.lecture?.state === 'live' ? trackSites(s.droppedSites, gone, 'left') : s.droppedSites;
          return { peers: removePeer(s.peers, peerId), droppedSites: dropped };
        });
        reception.arrange();
      },
    },
    participantUpdated: {
      handler: (peer) => {
        if (peer.id !== store.get().self?.id) store.update((s) => ({ peers: upsertPeer(s.peers, peer) }));
      },
    },
    producerAdded: { handler: (producer) => reception.consume(producer) },
    producerClosed: {
      handler: ({ producerId }) => {
        store.update((s) => ({ stalledProducers: s.stalledProducers.filter((id) => id !== producerId) }));
        reception.producerClosed(producerId);
        broadcast?.producerClosed(producerId);
        sender?.producerClosed(producerId);
      },
    },
    producerPaused: { handler: ({ producerId, paused }) => reception.producerPaused(producerId, paused) },
    consumerClosed: { handler: ({ consumerId }) => reception.consumerClosed(consumerId) },
    activeSpeaker: { handler: ({ peerId }) => store.update({ activeSpeakerId: peerId }) },
    hands: { handler: ({ hands }) => store.update({ hands }) },
    invitations: { handler: ({ invited }) => store.update({ invited }) },
    floorDeclined: {
      handler: ({ displayName }) =>
        store.update((s) => ({ notices: addNotice(s.notices, { kind: 'floorDeclined', role: 'attendee', displayName, at: Date.now() }) })),
    },
    producerHealth: {
      handler: ({ producerId, flowing }) =>
        store.update((s) => ({
          stalledProducers: flowing ? s.stalledProducers.filter((id) => id !== producerId) : [...new Set([...s.stalledProducers, producerId])],
        })),
    },
    stage: {
      handler: ({ stage }) => {
        store.update({ stage });
        reception.arrange();
        t.syncStage();
      },
    },
    chatMessage: { handler: (message) => store.update((s) => ({ chat: upsertMessage(s.chat, message) })) },
    chatUpdated: { handler: (message) => store.update((s) => ({ chat: upsertMessage(s.chat, message) })) },
    lobby: { handler: (delta) => store.update((s) => ({ lobby: applyLobbyDelta(s.lobby, delta) })) },
    removals: { handler: ({ removed }) => store.update({ removed }) },
    takenOver: {
      handler: ({ role, displayName }) =>
        store.update((s) => ({ notices: addNotice(s.notices, { kind: 'takenOver', role, displayName, at: Date.now() }) })),
    },
    linkRevoked: { handler: () => t.fail({ code: 'LINK_REVOKED', message: describeError('LINK_REVOKED') }), always: true },
    mediaReset: { handler: ({ reason }) => t.mediaReset(reason) },
    mutedByTrainer: { handler: ({ producerId }) => sender?.mutedByTrainer(producerId) },
    admitted: { handler: () => store.get().phase === 'lobby' && t.enter(), always: true },
    removed: {
      handler: ({ kind, reason }) => t.fail({ code: 'REMOVED', message: describeError('REMOVED'), detail: reason, detailKey: `errors.detail.${kind}` }),
      always: true,
    },
    replaced: { handler: () => t.fail(sessionError('REPLACED')), always: true },
    // The lecture's origin found it full (cluster): the same failure as a join answered LIMIT.
    refused: { handler: ({ code }) => t.fail({ code, message: describeError(code) }), always: true },
    sitesHealth: { handler: ({ sites }) => store.update({ sitesHealth: sites }) },
    receivePriority: { handler: (view) => reception.weakLink.received(view) },
  };
}

/** Subscribes the session to every notification; returns the unsubscribe functions. */
export function listenToNotifications(signaling: SignalingClient, targets: NotificationTargets, gate: NotificationGate): (() => void)[] {
  const all = handlers(targets);
  return (Object.keys(all) as Exclude<NotificationName, SignalingOwned>[]).map(<N extends Exclude<NotificationName, SignalingOwned>>(name: N) => {
    const { handler, always = false } = all[name] as Entry<N>;
    return signaling.on(name, (data) => {
      if (gate.left()) return;
      if (gate.ready() || always) handler(data);
      else gate.queue(() => handler(data));
    });
  });
}
