import { TeleclassError, type LectureView } from '@teleclass/shared';
import type { LectureRoom } from '../lecture/LectureRoom.js';
import type { Participant } from '../lecture/Participant.js';
import type { Logger } from '../logger.js';
import type { ClusterBus } from './bus.js';
import type { RoomOp } from './roomProtocol.js';
import { ROOM_REQUEST_TIMEOUT_MS } from './roomTiming.js';

export interface UseCaseContext {
  /** The room this node holds for the cluster (its origin). */
  room: LectureRoom;
  /** This node's id. */
  self: string;
  bus: ClusterBus;
  /** After a lecture went live (the automatic recording). */
  onStarted: ((lectureId: string) => Promise<void>) | undefined;
  /** This node's recordings (RecordingManager): the trainer's start and stop run where the room is held. */
  recordings: RoomRecordings | undefined;
  log: Logger;
}

/** What a use-case needs of this node's recordings (RecordingManager). */
export interface RoomRecordings {
  start(room: LectureRoom): Promise<LectureView>;
  stop(lectureId: string): Promise<void>;
  isRecording(lectureId: string): boolean;
}

/**
 * A use-case of the room held on this node (the lecture's origin), asked by node `from` (this
 * node's own id when asked here): a participant's own request only for a participant of that
 * node, the trainer's only when the trainer is on that node.
 */
export async function runUseCase({ room, self, bus, onStarted, recordings, log }: UseCaseContext, op: RoomOp, from: string): Promise<unknown> {
  const { lecture } = room;
  const nodeOf = (p: Participant | undefined) => (p ? (p.node ?? self) : undefined);
  if ('peerId' in op && (op.op === 'raiseHand' || op.op === 'lowerHand' || op.op === 'answerFloor' || op.op === 'soundBlocked')) {
    if (nodeOf(lecture.participant(op.peerId)) !== from) throw new TeleclassError('NOT_FOUND', 'That participant is not in the lecture.');
  } else if (nodeOf(lecture.trainer) !== from) {
    throw new TeleclassError('FORBIDDEN', 'Only the trainer may do that.');
  }
  switch (op.op) {
    case 'raiseHand':
      lecture.raiseHand(op.peerId);
      return {};
    case 'lowerHand':
      lecture.lowerHand(op.peerId);
      return {};
    case 'answerFloor':
      lecture.answerFloor(op.peerId, op.accept);
      return {};
    case 'soundBlocked':
      lecture.setSoundBlocked(op.peerId, op.blocked);
      return {};
    case 'giveFloor':
      room.giveFloor(op.peerId);
      return {};
    case 'takeFloor':
      room.takeFloor(op.peerId);
      return {};
    case 'dismissHand':
      room.dismissHand(op.peerId);
      return {};
    case 'mute':
    case 'remove':
      return onTarget(room, bus, op.peerId, op.op);
    case 'start': {
      room.start();
      await onStarted?.(room.id); // the automatic recording, as the trainer's own node would start it
      return room.lecture.view() satisfies LectureView;
    }
    case 'end':
      return room.end();
    case 'setLocked':
      return room.setLocked(op.locked);
    case 'admit':
      return admitWaiting(room, bus, op.peerId);
    case 'startRecording':
      if (!recordings) throw new TeleclassError('INVALID_STATE', 'Recording is not available on this server.');
      return recordings.start(room);
    case 'stopRecording': {
      // As the trainer's own node does (signaling/handlers/recording.ts): REC off at once, the files finished behind the answer.
      if (!recordings?.isRecording(room.id)) throw new TeleclassError('INVALID_STATE', 'The lecture is not being recorded.');
      recordings.stop(room.id).catch((err: unknown) => log.error({ err, lectureId: room.id }, 'stopping the recording failed'));
      return room.lecture.view();
    }
  }
}

/**
 * The trainer admits someone waiting, on the node they wait on: there they are told (`admitted`)
 * and join. The origin's lobby lets them go once their node said so — a node that does not
 * answer leaves them waiting (the trainer may try again), one that no longer has them drops them.
 */
async function admitWaiting(room: LectureRoom, bus: ClusterBus, lobbyId: string): Promise<object> {
  const entry = room.lecture.lobbyEntry(lobbyId);
  if (!entry) throw new TeleclassError('NOT_FOUND', 'Nobody with that id is waiting.');
  if (entry.node === undefined) {
    room.admit(lobbyId);
    return {};
  }
  try {
    await bus.request(entry.node, 'room.admit', { lectureId: room.id, lobbyId }, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS });
  } catch (error) {
    // After the await: gone from its node (it left, or its node forgot it): gone from the one lobby too.
    if (error instanceof TeleclassError && error.code === 'NOT_FOUND') room.lecture.leaveLobby(lobbyId);
    throw error;
  }
  // After the await: still waiting here (its node's `unknock` may have come first), then let go.
  if (room.lecture.lobbyEntry(lobbyId)) room.lecture.admit(lobbyId);
  return {};
}

/** Mute or remove: on the node the participant is connected to. */
async function onTarget(room: LectureRoom, bus: ClusterBus, peerId: string, op: 'mute' | 'remove'): Promise<object> {
  const target = room.lecture.other(peerId);
  if (target.local) {
    await (op === 'mute' ? room.mute(peerId) : room.remove(peerId));
    return {};
  }
  await bus.request(target.node!, 'room.peer', { lectureId: room.id, peerId, op }, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS });
  if (op === 'remove') {
    // After the await: it left (its node said so, or it is dropped now); it may not come back in through a lobby admission.
    room.lecture.revokeAdmission(target.identity);
    if (room.lecture.participant(peerId)) room.lecture.leave(peerId);
    await room.tellTrainerRemovals();
  }
  return {};
}

/** What the origin asks of a participant of this node (`room.peer`): mute it, remove it, or let it go (it joined elsewhere). */
export async function actOnPeer(room: LectureRoom, peerId: string, op: 'mute' | 'remove' | 'replaced'): Promise<void> {
  if (op === 'mute') await room.mute(peerId);
  else if (op === 'remove') await room.remove(peerId);
  else {
    room.notify.peer(peerId, 'replaced', {});
    if (room.attachmentOf(peerId)) room.letGo(peerId, 'replaced');
    else room.leave(peerId, 'replaced');
  }
}
