/**
 * The room as the lecture's origin holds it (cluster mode), and a node's copy of it: what the
 * origin tells the other nodes (`roomState`) and what they make of it in their own Lecture
 * (`applyOrigin`), so their people see the one room (cluster/roomLink.ts).
 */
import type { HandView, LectureView, LobbyView, PeerView, StageView } from '@teleclass/shared';
import type { Lecture, LobbyEntry } from './Lecture.js';
import { Participant } from './Participant.js';

/** A participant as the lecture's origin tells the other nodes: its view and the node it is connected to. */
export type RoomPeer = PeerView & { identity: string; node: string };

/** Someone waiting in the lobby as the nodes tell each other: with the identity an admission lets in and the node they wait on. */
export type RoomWaiting = LobbyView & { identity: string; node: string };

/** The room as the lecture's origin holds it: what the other nodes copy into their own Lecture. */
export interface RoomState {
  lecture: LectureView;
  peers: RoomPeer[];
  hands: HandView[];
  stage: StageView[];
  invited: StageView[];
  /** The lobby of every node (the trainer admits from any node). */
  lobby: RoomWaiting[];
}

/** The room as the origin tells the other nodes (`self`: this node's id, given to its own participants). */
export function roomState(lecture: Lecture, self: string): RoomState {
  return {
    lecture: lecture.view(),
    peers: lecture.participants.map((p) => ({ ...p.view(), identity: p.identity, node: p.node ?? self })),
    hands: lecture.hands(),
    stage: lecture.stage(),
    invited: lecture.invitations(),
    lobby: lecture.lobbyEntries().map((e) => waitingOf(e, self)),
  };
}

/** Someone waiting as the nodes tell each other (`self`: this node's id, for its own). */
export const waitingOf = (e: LobbyEntry, self: string): RoomWaiting => ({ peerId: e.peerId, displayName: e.displayName, since: e.since, identity: e.identity, node: e.node ?? self });

/**
 * A copy of the origin's room (this node is not the origin): other nodes' participants, the
 * lecture's state, hands, floor and invitations become the origin's; this node's own
 * participants and waiting people stay as they are (this node knows them best, and tells the
 * origin); the other nodes' waiting people are the origin's lobby's, so a trainer on any node
 * sees everyone waiting. Events are
 * emitted for what changed, as if it had happened here: a participant of this node that lost
 * the floor stops sending (`stageleft`).
 */
export function applyOrigin(lecture: Lecture, state: RoomState, self: string): void {
  const remote = new Map(state.peers.filter((p) => p.node !== self).map((p) => [p.id, p]));
  for (const p of lecture.participants) if (!p.local && !remote.has(p.id)) lecture.leave(p.id);
  for (const v of remote.values()) {
    const have = lecture.participant(v.id);
    if (have) {
      if (!have.local && have.setSoundBlocked(v.soundBlocked)) lecture.emit('participantupdated', have);
      continue;
    }
    const twin = lecture.byIdentity(v.identity);
    // The same person on another node now (a reload landed elsewhere): the origin let the old one go.
    if (twin && !twin.local) lecture.leave(twin.id);
    const p = new Participant({ role: v.role, displayName: v.displayName, identity: v.identity, site: v.site, remote: { node: v.node, id: v.id, joinedAt: v.joinedAt, soundBlocked: v.soundBlocked } });
    lecture.copy.participant(p);
    lecture.emit('participantjoined', p);
  }
  const known = <T extends { peerId: string }>(list: T[]) => list.filter((x) => lecture.participant(x.peerId) !== undefined);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

  const hands = known(state.hands);
  if (!same(hands, lecture.hands())) {
    lecture.copy.hands(hands);
    lecture.emit('handschanged', lecture.hands());
  }
  const invited = known(state.invited);
  if (!same(invited, lecture.invitations())) {
    lecture.copy.invited(invited);
    lecture.emit('invitationschanged', lecture.invitations());
  }
  const stage = known(state.stage);
  const before = lecture.stage();
  if (!same(stage, before)) {
    lecture.copy.stage(stage);
    for (const s of before) {
      const p = lecture.participant(s.peerId);
      if (p?.local && !lecture.onStage(s.peerId)) lecture.emit('stageleft', p);
    }
    lecture.emit('stagechanged', lecture.stage());
  }
  const waiting = lecture.copy.lobby(state.lobby.filter((e) => e.node !== self));
  if (waiting.added.length > 0 || waiting.removed.length > 0) lecture.emit('lobbychanged', waiting);
  const view = lecture.view();
  lecture.copy.state(state.lecture);
  const now = lecture.view();
  if (!same(now, view)) lecture.emit('statechanged', now);
}
